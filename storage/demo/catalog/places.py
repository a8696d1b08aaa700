"""Places: the cities and districts demo customers sit in, and their phone number blocks.

District centres are real (approximate) so maps, distance checks and territory routing behave
as they would for a real team; every generated coordinate is clamped to its city's box.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    """A city with the bounding box every generated coordinate is clamped to."""

    name: str  # as written in addresses, e.g. "上海市"
    landline: tuple[str, ...]  # E.164 prefixes of its fixed lines, e.g. ("+8621",)
    south: float
    north: float
    west: float
    east: float


@dataclass(frozen=True)
class District:
    """A district centre, how far its businesses spread, and some of its streets."""

    name: str
    city: City
    lat: float
    lon: float
    spread_km: float
    weight: int  # how many businesses it has, relatively
    streets: tuple[str, ...]


SHANGHAI = City("上海市", ("+8621",), 30.75, 31.75, 120.90, 122.00)
SHENZHEN = City("深圳市", ("+86755",), 22.45, 22.85, 113.75, 114.40)
GUANGZHOU = City("广州市", ("+8620",), 22.85, 23.35, 113.15, 113.60)
TAIPEI = City("臺北市", ("+8862",), 24.96, 25.20, 121.46, 121.66)

SHANGHAI_DISTRICTS = (
    District("黄浦区", SHANGHAI, 31.2317, 121.4846, 1.5, 6, ("南京东路", "淮海中路", "西藏中路")),
    District("静安区", SHANGHAI, 31.2290, 121.4482, 2.0, 7, ("南京西路", "延安中路", "共和新路")),
    District("虹口区", SHANGHAI, 31.2646, 121.5055, 1.5, 4, ("四川北路", "西江湾路", "大连西路")),
    District("杨浦区", SHANGHAI, 31.2595, 121.5260, 2.5, 5, ("国定路", "长阳路", "平凉路")),
    District("浦东新区", SHANGHAI, 31.2215, 121.5447, 5.0, 14, ("张杨路", "世纪大道", "金桥路")),
    District("宝山区", SHANGHAI, 31.4055, 121.4896, 4.0, 5, ("牡丹江路", "友谊路", "蕰川路")),
    District("普陀区", SHANGHAI, 31.2495, 121.3975, 2.5, 5, ("真北路", "武宁路", "曹杨路")),
    District("长宁区", SHANGHAI, 31.2204, 121.4245, 2.0, 5, ("延安西路", "天山路", "仙霞路")),
    District("徐汇区", SHANGHAI, 31.1885, 121.4365, 2.5, 7, ("漕溪北路", "虹梅路", "田林路")),
    District("闵行区", SHANGHAI, 31.1129, 121.3817, 5.0, 9, ("七莘路", "沪闵路", "春东路")),
    District("松江区", SHANGHAI, 31.0322, 121.2277, 5.0, 6, ("荣乐东路", "沪亭北路", "民益路")),
    District("青浦区", SHANGHAI, 31.1497, 121.1241, 4.0, 4, ("华志路", "崧泽大道", "外青松公路")),
    District("嘉定区", SHANGHAI, 31.3747, 121.2655, 5.0, 6, ("墨玉路", "博乐路", "嘉松北路")),
)

SOUTH_DISTRICTS = (
    District("福田区", SHENZHEN, 22.5410, 114.0550, 2.0, 8, ("深南大道", "福华三路", "泰然九路")),
    District("罗湖区", SHENZHEN, 22.5483, 114.1315, 2.0, 5, ("人民南路", "东门中路", "笋岗东路")),
    District("南山区", SHENZHEN, 22.5333, 113.9305, 3.0, 9, ("科苑路", "南海大道", "高新南一道")),
    District("宝安区", SHENZHEN, 22.5550, 113.8830, 4.0, 8, ("宝安大道", "新安六路", "福永大道")),
    District("龙华区", SHENZHEN, 22.6966, 114.0450, 3.0, 6, ("民治大道", "梅龙大道", "观澜大道")),
    District("龙岗区", SHENZHEN, 22.7206, 114.2470, 4.0, 7, ("龙岗大道", "五和大道", "布吉路")),
    District("天河区", GUANGZHOU, 23.1246, 113.3612, 3.0, 9, ("天河路", "花城大道", "体育西路")),
    District("越秀区", GUANGZHOU, 23.1290, 113.2668, 1.5, 5, ("环市东路", "中山五路", "东风中路")),
    District(
        "海珠区", GUANGZHOU, 23.0838, 113.3172, 2.5, 5, ("新港中路", "江南大道中", "阅江中路")
    ),
    District("白云区", GUANGZHOU, 23.1578, 113.2730, 4.0, 6, ("白云大道北", "机场路", "广园西路")),
    District("黄埔区", GUANGZHOU, 23.1063, 113.4593, 4.0, 6, ("科学大道", "开发大道", "黄埔东路")),
    District("番禺区", GUANGZHOU, 22.9376, 113.3843, 4.0, 6, ("清河东路", "番禺大道北", "迎宾路")),
)

TAIPEI_DISTRICTS = (
    District("信義區", TAIPEI, 25.0330, 121.5654, 1.2, 8, ("信義路五段", "松仁路", "基隆路一段")),
    District(
        "大安區",
        TAIPEI,
        25.0263,
        121.5436,
        1.2,
        8,
        ("敦化南路二段", "復興南路一段", "和平東路二段"),
    ),
    District(
        "松山區", TAIPEI, 25.0500, 121.5770, 1.0, 6, ("民生東路四段", "敦化北路", "八德路四段")
    ),
    District(
        "中山區", TAIPEI, 25.0642, 121.5330, 1.5, 8, ("南京東路二段", "民生東路二段", "松江路")
    ),
    District(
        "中正區", TAIPEI, 25.0324, 121.5199, 1.0, 6, ("重慶南路一段", "羅斯福路二段", "館前路")
    ),
    District("萬華區", TAIPEI, 25.0355, 121.4997, 1.0, 4, ("康定路", "西園路二段", "艋舺大道")),
    District("內湖區", TAIPEI, 25.0690, 121.5890, 1.8, 9, ("瑞光路", "內湖路一段", "港墘路")),
    District("南港區", TAIPEI, 25.0550, 121.6066, 1.2, 5, ("經貿二路", "三重路", "園區街")),
    District("文山區", TAIPEI, 24.9890, 121.5700, 1.5, 3, ("木柵路三段", "興隆路二段", "景興路")),
    District("士林區", TAIPEI, 25.0930, 121.5246, 1.8, 4, ("中山北路六段", "承德路四段", "文林路")),
    District("北投區", TAIPEI, 25.1320, 121.5010, 1.8, 3, ("中央北路一段", "承德路七段", "光明路")),
)

# Mainland mobile number blocks in common use (the first three digits of an 11-digit number).
MOBILE_PREFIXES = tuple(
    str(block) for block in (*range(130, 140), 150, 151, 152, 155, 158, 159, 177, 180, 186, 189)
)
