"""Invented but valid identities: people's names, phones, companies, addresses, map points."""

from __future__ import annotations

from geopy.distance import geodesic  # type: ignore[import-untyped]

from storage.demo import catalog as cat
from storage.demo.catalog import District
from storage.demo.state import TeamState
from storage.normalize import name_key, normalize_phone


class Identities(TeamState):
    """Names, phone numbers, company names, addresses and map points for one team's city."""

    def _person_name(self) -> str:
        surname = self.rng.choice(cat.SURNAMES[self.s])
        return surname + self.rng.choice(cat.GIVEN_NAMES[self.s])

    def _phone(self, district: District | None, landline: float) -> str:
        """A number that is valid for the team's country, stored as the product stores it."""
        while True:
            digits = "".join(self.rng.choice("0123456789") for _ in range(7))
            if self.spec.currency == "TWD":
                if district and self.rng.random() < landline:
                    phone = f"{district.city.landline[0]}{self.rng.choice('2278')}{digits}"
                else:
                    phone = f"+8869{self.rng.randint(0, 9)}{digits}"
            elif district and self.rng.random() < landline:
                phone = f"{district.city.landline[0]}{self.rng.choice('345678')}{digits}"
            else:
                phone = f"+86{self.rng.choice(cat.MOBILE_PREFIXES)}{self.rng.randint(0, 9)}{digits}"
            normal = normalize_phone(phone, self.spec.country)
            if normal and normal not in self.phones:
                self.phones.add(normal)
                return normal

    def _company(self, district: District, industry: str) -> tuple[str, str]:
        """A plausible, team-unique company name for the city, and its e-mail domain."""
        s = self.s
        for attempt in range(60):
            brand = self.rng.choice(cat.BRANDS)
            word = self.rng.choice(cat.COMPANY_WORDS[industry])
            prefix = ""
            if self.rng.random() < (0.45 if s == 0 else 0.1):
                prefix = district.city.name[:-1]
            name = f"{prefix}{brand[s]}{word[s]}"
            if not word[3]:
                roll = self.rng.random()
                if s == 0:
                    name += "有限公司" if roll < 0.82 else "股份有限公司"
                else:
                    name += (
                        "股份有限公司" if roll < 0.6 else "有限公司" if roll < 0.95 else "企業社"
                    )
            if attempt >= 40:
                name += f"（{district.name}分公司）"
            if name_key(name) not in self.names:
                break
        else:
            name = f"{name}{len(self.names)}"
        self.names.add(name_key(name))
        domain = f"{brand[2]}-{word[2]}"
        while domain in self.domains:
            domain += str(self.rng.randint(0, 9))
        self.domains.add(domain)
        tld = "com.tw" if s == 1 else self.rng.choice(("com", "com.cn", "cn"))
        return name, f"{domain}.{tld}"

    def _address(self, district: District) -> str:
        street = self.rng.choice(district.streets)
        if self.s == 0:
            address = f"{district.city.name}{district.name}{street}{self.rng.randint(1, 2999)}号"
            if self.rng.random() < 0.4:
                address += self.rng.choice(
                    (
                        f"{self.rng.randint(2, 28)}楼",
                        f"{self.rng.choice('ABCD')}座"
                        f"{self.rng.randint(2, 25)}{self.rng.randint(1, 20):02d}室",
                    )
                )
            return address
        address = f"{district.city.name}{district.name}{street}{self.rng.randint(1, 399)}號"
        if self.rng.random() < 0.5:
            floor = self.rng.randint(2, 20)
            address += self.rng.choice((f"{floor}樓", f"{floor}樓之{self.rng.randint(1, 5)}"))
        return address

    def _spot(self, district: District) -> tuple[float, float]:
        """A point around the district centre, within its spread and the city's box."""
        km = min(abs(self.rng.gauss(0, district.spread_km / 2)), district.spread_km)
        point = geodesic(kilometers=km).destination((district.lat, district.lon), self._u(0, 360))
        city = district.city
        lat = min(max(point.latitude, city.south), city.north)
        lon = min(max(point.longitude, city.west), city.east)
        return round(lat, 6), round(lon, 6)
