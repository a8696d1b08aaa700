"""How each kind of record is drawn in chat (Telegram HTML), one module per area.

Views take storage results and a language and return text; they never query.
"""
