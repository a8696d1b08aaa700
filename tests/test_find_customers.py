"""/find: by name, phone or its last digits, contact and e-mail — only what the user may see."""

from __future__ import annotations

from storage.models import Contact, Customer, Role, User
from tests.support.sim import START, Person, Sim, ensure_team


async def _customer(
    name: str, owner: Person | None = None, team: str = "North", **fields: object
) -> Customer:
    from storage.normalize import name_key

    row = await ensure_team(team, START)
    owner_row = await User.get(telegram_id=owner.id) if owner else None
    return await Customer.create(
        team=row, name=name, name_key=name_key(name), owner=owner_row, **fields
    )


async def test_a_rep_finds_by_name_phone_digits_and_contact(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    rita = await sim.member(Role.REP, name="Rita")
    await _customer("Acme Trading Co., Ltd.", rob, phone="+8613812345678")
    harbour = await _customer("Harbour Foods", phone="+8613900005678", email="buy@harbour.cn")
    await Contact.create(customer=harbour, name="Wang Xiaoming", phone="+8613700001234")
    await _customer("Secret Supplies", rita, phone="+8613611115678")
    await _customer("Acme South", team="South", phone="+8613500005678")

    [card] = await rob.send("/find ACME trading")
    assert "Acme Trading Co., Ltd." in (card.text or "") and "Owner: Rob" in (card.text or "")

    [card] = await rob.send("/find 138 1234 5678")
    assert "Acme Trading" in (card.text or "")

    [found] = await rob.send("/find 5678")
    assert "2 customers match" in (found.text or "")
    labels = rob.buttons()
    assert len(labels) == 2
    assert any("Acme Trading" in label and "mine" in label for label in labels)
    assert any("Harbour Foods" in label and "pool" in label for label in labels)
    tap = await rob.tap("Harbour Foods")
    assert any("Harbour Foods" in (m.text or "") for m in tap.changed)

    [card] = await rob.send("/find wang")
    assert f"#{harbour.id}" in (card.text or "")
    assert "W*** X*******" in (card.text or "")  # a pool customer's contact stays masked
    [card] = await rob.send("/find buy@harbour")
    assert "Harbour Foods" in (card.text or "")

    [none] = await rob.send("/find secret")
    assert "No customer you can see matches" in (none.text or "")
    [usage] = await rob.send("/find")
    assert "/find acme" in (usage.text or "")


async def test_a_manager_finds_every_customer_of_the_team_a_page_at_a_time(sim: Sim) -> None:
    rita = await sim.member(Role.REP, name="Rita")
    manager = await sim.member(Role.MANAGER, name="Mia")
    for i in range(11):
        await _customer(f"Shop {i:02d}", rita if i % 2 else None)
    await _customer("Shop South", team="South")

    [found] = await manager.send("/find shop")
    assert "11 customers match" in (found.text or "")
    assert "1/2" in manager.buttons() and "›" in manager.buttons()
    assert "Shop 00" in manager.buttons()[0]
    tap = await manager.tap("›")
    [page] = tap.changed
    labels = [b["text"] for row in (page.reply_markup or {})["inline_keyboard"] for b in row]
    assert any("Shop 09" in label and "Rita" in label for label in labels)
    assert "2/2" in labels and not any("South" in label for label in labels)
