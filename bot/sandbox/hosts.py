"""Which addresses only this machine can reach, and the Host headers browsers send for them.

The sandbox has no login: whoever reaches it can act as every persona. It binds loopback by
default, and while it does, it answers only to loopback host names, so a web page that points
its own domain at 127.0.0.1 (DNS rebinding) cannot drive it from the visitor's browser.
"""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    bare = host.strip("[]").lower()
    if bare == "localhost":
        return True
    try:
        return ipaddress.ip_address(bare).is_loopback
    except ValueError:
        return False


def loopback_hosts(port: int) -> set[str]:
    """The Host headers a browser sends for this machine's loopback addresses on ``port``."""
    hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    if port == 80:
        hosts.update(LOOPBACK_NAMES)
    return hosts
