"""What the demo company sells and how: products, services, pipeline words, contracts, campaigns.

Word tables are pairs indexed by the team's script: 0 simplified Chinese (the mainland
teams), 1 traditional (Taipei).
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.demo.catalog.teams import EAST, SOUTH, TAIPEI_TEAM
from storage.models import Channel

# (simplified, traditional, unit price in CNY yuan)
PRODUCTS: tuple[tuple[str, str, int], ...] = (
    ("智能巡检终端", "智慧巡檢終端", 3_800),
    ("工业物联网网关", "工業物聯網閘道器", 12_000),
    ("门店收银系统（年费）", "門市收銀系統（年費）", 6_800),
    ("冷链温控传感器", "冷鏈溫控感測器", 950),
    ("仓储管理系统授权", "倉儲管理系統授權", 88_000),
    ("设备定位标签", "設備定位標籤", 420),
    ("移动销售平板套装", "行動銷售平板組", 5_600),
    ("能耗监测系统", "能耗監測系統", 46_000),
)
SERVICES = (
    ("现场安装调试服务", "現場安裝調校服務"),
    ("年度维保服务", "年度維護保養服務"),
    ("员工培训服务", "員工教育訓練服務"),
)
OPPORTUNITY_TITLES = (
    ("{product}采购项目", "{product}部署二期", "{product}替换项目", "全年{product}框架采购"),
    ("{product}採購案", "{product}導入二期", "{product}汰換專案", "年度{product}框架採購"),
)
NEEDS = (
    (
        "现有设备老旧，希望年内完成替换并接入总部系统",
        "需要覆盖全部门店，要求两周内交付",
        "预算已批，关注售后响应速度和培训",
        "希望先做一个试点，效果好再全面推广",
        "要求与现有ERP对接，数据每日同步",
    ),
    (
        "現有設備老舊，希望年底前完成汰換並接上總部系統",
        "需要涵蓋所有門市，要求兩週內交貨",
        "預算已核准，重視售後回應速度與教育訓練",
        "希望先做試點，效果好再全面導入",
        "要求與現有ERP介接，資料每日同步",
    ),
)
COMPETITORS = (
    ("凯泰科技", "联拓智能", "百川软件", "远景数据", "速维系统"),
    ("宇泰資訊", "群鋒科技", "聯碩系統", "凌翔數位", "泰豐智能"),
)
LOST_REASONS = (
    (
        "价格高于竞品约15%",
        "客户预算被砍，项目取消",
        "选择了竞品，对方有本地服务团队",
        "决策人更换，项目搁置",
        "交付周期无法满足客户要求",
    ),
    (
        "報價高於競品約15%",
        "客戶預算刪減，專案取消",
        "選擇了競品，對方有在地服務團隊",
        "決策者異動，專案暫緩",
        "交期無法配合客戶要求",
    ),
)
STAGE_NOTES = (
    ("创建商机", "客户预算冻结，退回上一阶段", "阶段推进"),
    ("建立商機", "客戶預算凍結，退回上一階段", "階段推進"),
)
# stage code -> (goal, checklist) per script
STAGE_GUIDE: dict[str, tuple[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]]] = {
    "lead": (
        ("确认联系方式和基本需求", ("核实联系人和电话", "了解行业和规模")),
        ("確認聯絡方式與基本需求", ("核對聯絡人與電話", "了解產業與規模")),
    ),
    "contacted": (
        ("与关键人建立联系", ("完成首次电话或拜访", "约定需求沟通时间")),
        ("與關鍵人建立聯繫", ("完成首次電話或拜訪", "約定需求訪談時間")),
    ),
    "need_confirmed": (
        ("确认需求、预算和决策人", ("记录需求要点", "确认预算范围", "识别决策人")),
        ("確認需求、預算與決策者", ("記錄需求重點", "確認預算範圍", "找出決策者")),
    ),
    "proposal": (
        ("提交方案和报价", ("发送方案书", "演示产品", "报价审批")),
        ("提交方案與報價", ("寄送提案書", "產品展示", "報價核准")),
    ),
    "negotiation": (
        ("谈定条款并签约", ("确认价格和付款方式", "合同审批")),
        ("談定條款並簽約", ("確認價格與付款條件", "合約審核")),
    ),
    "won": (("转入合同执行", ("提交合同审批",)), ("轉入合約執行", ("送出合約審核",))),
    "lost": (("记录丢单原因", ("填写原因和竞品",)), ("記錄失單原因", ("填寫原因與競品",))),
}

MILESTONES = (
    ("发货", "安装调试", "客户验收", "首次回访"),
    ("出貨", "安裝調校", "客戶驗收", "首次回訪"),
)
CONTRACT_COMMENTS = (
    ("请审批，客户已盖章", "同意", "价格折扣过大，请重新核算"),
    ("請審核，客戶已用印", "同意", "折扣過高，請重新計算"),
)


@dataclass(frozen=True)
class CampaignTemplate:
    """A campaign a team ran: name pattern, channel, cost range in CNY yuan, length in days."""

    name: str
    channel: Channel
    cost_yuan: tuple[int, int]
    days: tuple[int, int]


CAMPAIGNS: dict[str, tuple[CampaignTemplate, ...]] = {
    EAST: (
        CampaignTemplate(
            "{year} 上海国际工业博览会", Channel.EXHIBITION, (120_000, 200_000), (4, 4)
        ),
        CampaignTemplate("抖音企业号投放 {season}", Channel.ONLINE_ADS, (30_000, 80_000), (30, 60)),
        CampaignTemplate("老客户转介绍计划", Channel.REFERRAL, (10_000, 20_000), (60, 90)),
        CampaignTemplate("长三角制造业数字化沙龙", Channel.EVENT, (15_000, 40_000), (1, 1)),
    ),
    SOUTH: (
        CampaignTemplate("{year} 广交会", Channel.EXHIBITION, (150_000, 260_000), (5, 5)),
        CampaignTemplate("微信朋友圈广告 {season}", Channel.SOCIAL, (25_000, 60_000), (30, 45)),
        CampaignTemplate("华南制造业名录电话营销", Channel.COLD_CALL, (8_000, 15_000), (20, 40)),
        CampaignTemplate("深圳智慧零售峰会", Channel.EVENT, (20_000, 50_000), (2, 2)),
    ),
    TAIPEI_TEAM: (
        CampaignTemplate("{year} 台北國際電子展", Channel.EXHIBITION, (100_000, 180_000), (4, 4)),
        CampaignTemplate("Facebook 廣告 {season}", Channel.SOCIAL, (20_000, 50_000), (30, 45)),
        CampaignTemplate("老客戶推薦計畫", Channel.REFERRAL, (8_000, 15_000), (60, 90)),
        CampaignTemplate("中小企業數位轉型講座", Channel.EVENT, (10_000, 25_000), (1, 1)),
    ),
}
SEASONS = (("春季", "夏季", "秋季", "冬季"), ("春季檔期", "夏季檔期", "秋季檔期", "冬季檔期"))
