"""The three demo teams and the people in them: where each works, its money, its personas."""

from __future__ import annotations

from dataclasses import dataclass

from storage.demo.catalog.places import (
    SHANGHAI_DISTRICTS,
    SOUTH_DISTRICTS,
    TAIPEI_DISTRICTS,
    District,
)
from storage.models import Role

EAST = "华东 East"
SOUTH = "华南 South"
TAIPEI_TEAM = "台北 Taipei"


@dataclass(frozen=True)
class DemoPersona:
    """Someone a sandbox visitor can act as: the fixed Telegram identity of a demo user."""

    telegram_id: int
    full_name: str
    username: str
    role: Role
    team: str | None
    language: str


_P = DemoPersona
DEMO_PERSONAS: tuple[DemoPersona, ...] = (
    _P(910000001, "陈立新", "lixin_chen_ops", Role.ADMIN, None, "zh-hans"),
    _P(910000002, "王建国", "jianguo_wang", Role.MANAGER, EAST, "zh-hans"),
    _P(910000003, "李娜", "na_li_sh", Role.REP, EAST, "zh-hans"),
    _P(910000004, "张伟", "wei_zhang_sh", Role.REP, EAST, "zh-hans"),
    _P(910000005, "刘洋", "yang_liu_sh", Role.REP, EAST, "zh-hans"),
    _P(910000006, "陈静", "jing_chen_sh", Role.REP, EAST, "zh-hans"),
    _P(910000007, "Michael Zhou", "michael_zhou_sh", Role.REP, EAST, "en"),
    _P(910000008, "赵敏", "min_zhao_service", Role.AGENT, EAST, "zh-hans"),
    _P(910000009, "孙丽", "li_sun_buyer", Role.CUSTOMER, EAST, "zh-hans"),
    _P(910000010, "钱峰", "feng_qian_ops", Role.CUSTOMER, EAST, "zh-hans"),
    _P(910000011, "黄志强", "zhiqiang_huang", Role.MANAGER, SOUTH, "zh-hans"),
    _P(910000012, "林晓燕", "xiaoyan_lin_sz", Role.REP, SOUTH, "zh-hans"),
    _P(910000013, "吴俊杰", "junjie_wu_sz", Role.REP, SOUTH, "zh-hans"),
    _P(910000014, "郑海涛", "haitao_zheng_sz", Role.REP, SOUTH, "zh-hans"),
    _P(910000015, "何丽萍", "liping_he_gz", Role.REP, SOUTH, "zh-hans"),
    _P(910000016, "罗斌", "bin_luo_gz", Role.REP, SOUTH, "zh-hans"),
    _P(910000017, "梁嘉欣", "jiaxin_liang_gz", Role.REP, SOUTH, "zh-hans"),
    _P(910000018, "谢婷", "ting_xie_service", Role.AGENT, SOUTH, "zh-hans"),
    _P(910000019, "邓伟明", "weiming_deng", Role.CUSTOMER, SOUTH, "zh-hans"),
    _P(910000020, "冯小梅", "xiaomei_feng", Role.CUSTOMER, SOUTH, "zh-hans"),
    _P(910000021, "林志明", "chihming_lin", Role.MANAGER, TAIPEI_TEAM, "zh-hant"),
    _P(910000022, "陳怡君", "yichun_chen_tp", Role.REP, TAIPEI_TEAM, "zh-hant"),
    _P(910000023, "黃冠宇", "kuanyu_huang_tp", Role.REP, TAIPEI_TEAM, "zh-hant"),
    _P(910000024, "張雅婷", "yating_chang_tp", Role.REP, TAIPEI_TEAM, "zh-hant"),
    _P(910000025, "李承翰", "chenghan_lee_tp", Role.REP, TAIPEI_TEAM, "zh-hant"),
    _P(910000026, "王淑芬", "shufen_wang_service", Role.AGENT, TAIPEI_TEAM, "zh-hant"),
    _P(910000027, "吳建宏", "chienhung_wu", Role.CUSTOMER, TAIPEI_TEAM, "zh-hant"),
    _P(910000028, "蔡佩珊", "peishan_tsai", Role.CUSTOMER, TAIPEI_TEAM, "zh-hant"),
)


@dataclass(frozen=True)
class TeamSpec:
    """One demo team: where it works, its money, its script and its contract prefix."""

    name: str
    timezone: str
    country: str  # ISO 3166 code: phone numbers are read relative to it
    currency: str
    script: int  # 0 simplified, 1 traditional: index into the catalog's word tables
    contract_prefix: str
    money_scale: float  # local currency per CNY yuan, for prices and targets
    key_revenue_cents: int  # the key-tier threshold in the team's currency
    districts: tuple[District, ...]


TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(EAST, "Asia/Shanghai", "CN", "CNY", 0, "HD", 1.0, 50_000_000, SHANGHAI_DISTRICTS),
    TeamSpec(SOUTH, "Asia/Shanghai", "CN", "CNY", 0, "HN", 1.0, 50_000_000, SOUTH_DISTRICTS),
    TeamSpec(TAIPEI_TEAM, "Asia/Taipei", "TW", "TWD", 1, "TP", 4.5, 200_000_000, TAIPEI_DISTRICTS),
)
