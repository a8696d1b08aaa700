"""``fieldcrm sandbox``: the real bot, the Bot API emulator as its Telegram, and a web chat.

- ``runtime``: the world — database with demo data, emulator, personas, team groups, the bot
  polling the emulator, the shared manual clock (``Sandbox``, ``SandboxOptions``).
- ``web``: the aiohttp server — the static page, security headers, server-sent events.
- ``api``, ``chat_api``, ``requests``: the JSON API (people and clock; chats; parsing).
- ``views``: emulator messages and chats as JSON for the page (text + entities, never HTML).
- ``reads``: the few database reads the page needs (roles for labels, customer locations).
- ``events``, ``tracker``: live fan-out to tabs; knowing when the bot handled an update.
- ``command``: the CLI subcommand and its safety checks.

Imported lazily by the CLI: nothing here runs unless someone asks for the sandbox.
"""
