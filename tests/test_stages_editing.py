"""The standard sales stages: goals and checklists by default in every language, shown on the
card as "what to do next", and edited by a manager or admin with /stages."""

from __future__ import annotations

from datetime import date

from bot.callbacks.followups import (
    DropStageLine,
    OpenStage,
    StageAction,
    StageBoardOf,
)
from storage.models import AuditLog, Customer, Opportunity, PipelineStage, Role, Team, User
from storage.stages import line_tag
from tests.support.sim import START, Person, Sim, ensure_team


async def stage(code: str, team: str = "North") -> PipelineStage:
    return await PipelineStage.get(team__name=team, code=code)


async def customer_at(rep: Person, code: str) -> Customer:
    team = await Team.get(name="North")
    return await Customer.create(
        team=team,
        name="Acme",
        name_key="acme",
        owner=await User.get(telegram_id=rep.id),
        owned_since=START,
        stage=await stage(code),
    )


async def test_the_card_shows_the_stage_its_goal_and_next_actions(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    ming = await sim.member(Role.REP, name="Ming", lang="zh-hant")
    acme = await customer_at(rob, "need_confirmed")
    [card] = await rob.send(f"/customer {acme.id}")
    body = card.text or ""
    assert "🧭 Stage: Need confirmed (30%)" in body
    assert "🎯 Goal: Confirm the need, the budget, the decision maker and the timeline." in body
    assert "☐ Identify the decision maker" in body and "☐ Agree on the decision timeline" in body

    mine = await customer_at(ming, "proposal")
    await Customer.filter(id=mine.id).update(name="Mine", name_key="mine")
    [card] = await ming.send(f"/customer {mine.id}")
    assert "🧭 階段：提案報價（50%）" in (card.text or "")
    assert "🎯 目標：提交符合已確認需求的提案與報價。" in (card.text or "")
    assert "☐ 寄送提案書" in (card.text or "")

    # A team's own words replace the defaults, in every language.
    await PipelineStage.filter(id=(await stage("need_confirmed")).id).update(
        name="需求确认", goal="拿到书面需求清单", checklist=["约技术交流会"]
    )
    [card] = await rob.send(f"/customer {acme.id}")
    body = card.text or ""
    assert "Stage: 需求确认 (30%)" in body and "Goal: 拿到书面需求清单" in body
    assert "☐ 约技术交流会" in body and "Identify the decision maker" not in body


async def test_a_manager_edits_a_stage(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, name="Mia")
    [board] = await mia.send("/stages")
    body = board.text or ""
    assert "Sales stages — North" in body
    assert "1. Lead · 5%" in body and "7. Lost · 0%" in body
    assert "Goal: Present a proposal and a quote that fit the confirmed need." in body

    tap = await mia.tap("4. Proposal")
    assert "Standard text" in (tap.changed[-1].text or "")
    await mia.tap("Rename")
    [shown] = await mia.send("Proposal & quote")
    assert "Proposal &amp; quote" not in (shown.text or "") and "Proposal & quote" in shown.text
    await mia.tap("Goal")
    await mia.send("Quote approved and sent to the decision maker")
    await mia.tap("Probability")
    [refused] = await mia.send("lots")
    assert "whole number from 0 to 100" in (refused.text or "")
    [shown] = await mia.send("55%")
    assert "Proposal & quote · 55%" in (shown.text or "")

    tap = await mia.tap("Checklist")
    lines_text = tap.changed[-1].text or ""
    assert "1. Send the proposal" in lines_text and "4. Follow up on feedback" in lines_text
    await mia.tap("✏️ 1.")
    [editor] = await mia.send("Send the proposal by e-mail and WeChat")
    assert "1. Send the proposal by e-mail and WeChat" in (editor.text or "")
    await mia.tap("🗑")  # the newest message's first 🗑: line 1
    await mia.tap("Add a line")
    [editor] = await mia.send("Book the demo room")
    saved = await stage("proposal")
    assert saved.name == "Proposal & quote" and saved.probability == 55
    assert saved.goal == "Quote approved and sent to the decision maker"
    assert saved.checklist == [
        "Demo the product to the decision maker",
        "Get the quote approved internally",
        "Follow up on feedback within 3 days",
        "Book the demo room",
    ]
    assert await AuditLog.filter(action="stage.edit", entity_id=str(saved.id)).count() == 6

    await mia.tap("« Back")
    await mia.tap("⬆️ Up")
    order = await PipelineStage.filter(team__name="North").order_by("position")
    assert [s.code for s in order][2:4] == ["proposal", "need_confirmed"]


async def test_stages_are_added_and_removed_unless_a_deal_uses_them(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, name="Mia")
    rob = await sim.member(Role.REP, name="Rob")
    await mia.send("/stages")
    await mia.tap("Add a stage")
    await mia.send("Trial")
    [shown] = await mia.send("65")
    assert "Trial · 65%" in (shown.text or "")
    order = [s.name for s in await PipelineStage.filter(team__name="North").order_by("position")]
    assert order[-3:] == ["Trial", "won", "lost"]

    trial = await PipelineStage.get(name="Trial")
    acme = await customer_at(rob, "lead")
    await Customer.filter(id=acme.id).update(stage_id=trial.id)
    await mia.tap("🗑 Remove")
    tap = await mia.tap("Yes, remove it")
    assert "Trial" not in (tap.changed[-1].text or "")
    assert not await PipelineStage.exists(id=trial.id)
    assert (await Customer.get(id=acme.id)).stage_id is None
    assert await AuditLog.filter(action="stage.remove").count() == 1

    negotiation = await stage("negotiation")
    await Opportunity.create(
        team_id=negotiation.team_id,
        customer=acme,
        owner=await User.get(telegram_id=rob.id),
        title="Pilot",
        expected_close_on=date(2026, 4, 1),
        stage=negotiation,
        stage_changed_at=START,
    )
    await mia.send("/stages")
    await mia.tap("5. Negotiation")
    assert "🗑 Remove" not in mia.buttons()
    assert "Used by 1 deal" in (mia.last_message().text or "")
    tap = await mia.tap_data(
        mia.last_message(), StageAction(negotiation.id, "dropok").pack(), forged=True
    )
    assert "cannot be removed" in tap.toast
    won = await stage("won")
    tap = await mia.tap_data(mia.last_message(), StageAction(won.id, "up").pack(), forged=True)
    assert "stay at the end" in tap.toast
    assert await PipelineStage.filter(team__name="North").count() == 7


async def test_who_may_read_and_who_may_edit(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob", lang="zh-hans")
    await ensure_team("South", sim.clock.now())
    sam = await sim.member(Role.MANAGER, "South", name="Sam")
    [board] = await rob.send("/stages")
    assert "销售阶段——North" in (board.text or "") and "确认预算范围" in (board.text or "")
    assert board.reply_markup is None
    lead = await stage("lead")
    for forged in (OpenStage(lead.id), StageAction(lead.id, "drop")):
        tap = await rob.tap_data(board, forged.pack(), forged=True)
        assert "无法使用" in tap.toast

    [south_board] = await sam.send("/stages")
    for forged in (OpenStage(lead.id), StageAction(lead.id, "dropok"), StageBoardOf(lead.team_id)):
        tap = await sam.tap_data(south_board, forged.pack(), forged=True)
        assert "Not found" in tap.toast
    line = "Verify the contact person and phone number"
    tap = await sam.tap_data(
        south_board, DropStageLine(lead.id, 0, line_tag(line)).pack(), forged=True
    )
    assert "Not found" in tap.toast
    assert await PipelineStage.filter(team__name="North").count() == 7
    assert (await stage("lead")).checklist == []

    admin = sim.admin
    [pick] = await admin.send("/stages")
    assert "Which team" in (pick.text or "") and {"North", "South"} <= set(admin.buttons())
    tap = await admin.tap("South")
    assert "Sales stages — South" in (tap.changed[-1].text or "")


async def test_a_stale_checklist_button_is_refused(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, name="Mia")
    lead = await stage("lead")
    await mia.send("/stages")
    await mia.tap("1. Lead")
    tap = await mia.tap("Checklist")
    editor = tap.changed[-1]
    await PipelineStage.filter(id=lead.id).update(checklist=["Someone else's line", "Another"])
    first_line = line_tag("Verify the contact person and phone number")
    tap = await mia.tap_data(editor, DropStageLine(lead.id, 0, first_line).pack())
    assert "changed meanwhile" in tap.toast
    assert (await stage("lead")).checklist == ["Someone else's line", "Another"]
