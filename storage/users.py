"""Recognising people: the Telegram identity is the login."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.access import Actor
from storage.models import PortalAccount, Role, User

SEEN_RESOLUTION = timedelta(minutes=5)


def to_actor(user: User, customer_id: int | None = None) -> Actor:
    return Actor(
        user_id=user.id,
        telegram_id=user.telegram_id,
        full_name=str(user),
        role=user.role,
        team_id=user.team_id,
        language=user.language,
        telegram_language=user.telegram_language,
        customer_id=customer_id,
    )


async def identify(
    telegram_id: int,
    *,
    username: str | None,
    full_name: str,
    telegram_language: str | None,
    admin_ids: frozenset[int],
    now: datetime,
) -> Actor:
    """Find or create the user behind a Telegram account and keep their profile current.

    Admins are whoever the operator lists in the settings: the role follows that list in both
    directions, so removing an id from it demotes the account on its next message.
    """
    user = await User.get_or_none(telegram_id=telegram_id)
    if user is None:
        user, _ = await User.get_or_create(
            telegram_id=telegram_id,
            defaults={
                "username": username,
                "full_name": full_name[:255],
                "telegram_language": telegram_language,
                "role": Role.ADMIN if telegram_id in admin_ids else None,
                "last_seen_at": now,
            },
        )
    changes: dict[str, object] = {}
    if user.username != username:
        changes["username"] = username
    if full_name and user.full_name != full_name[:255]:
        changes["full_name"] = full_name[:255]
    if telegram_language and user.telegram_language != telegram_language:
        changes["telegram_language"] = telegram_language
    if telegram_id in admin_ids and user.role is not Role.ADMIN:
        changes["role"], changes["team_id"] = Role.ADMIN, None
    elif telegram_id not in admin_ids and user.role is Role.ADMIN:
        changes["role"] = None
    if user.last_seen_at is None or now - user.last_seen_at >= SEEN_RESOLUTION:
        changes["last_seen_at"] = now
    if changes:
        await User.filter(id=user.id).update(**changes)
        for name, value in changes.items():
            setattr(user, name, value)
    return await actor_for(user)


async def actor_for(user: User) -> Actor:
    customer_id = None
    if user.role is Role.CUSTOMER:
        portal = await PortalAccount.get_or_none(user_id=user.id)
        customer_id = portal.customer_id if portal else None
    return to_actor(user, customer_id)


async def actor_by_telegram_id(telegram_id: int) -> Actor | None:
    user = await User.get_or_none(telegram_id=telegram_id)
    return await actor_for(user) if user else None


async def set_language(actor: Actor, language: str) -> Actor:
    """Remember the user's chosen language over Telegram's guess."""
    await User.filter(id=actor.user_id).update(language=language)
    user = await User.get(id=actor.user_id)
    return await actor_for(user)
