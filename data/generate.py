"""Generate the Cam Lộ sample data values, 2012–2022 (deterministic).

    python data/generate.py            # rewrites data/values/cam-lo-YYYY.csv

District totals for 2012–2017 reproduce every figure of the source report
(../shared/DOMAIN.md §2). The split of district totals over communes, and every
figure for 2018–2022, are synthetic: made up to be plausible, nothing more.
The same seed always gives the same files, byte for byte.

2017 holds figures to 31/05/2017 (catalog/periods.yaml): its flows cover five
months, and nothing decided later in the year exists (child-friendly recognition
and scores, the mid-autumn plan). Every commune reports every count it is asked
for, zeros included: a missing value is a return not sent, never a zero.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

YEARS = range(2012, 2023)
DISTRICT = "468"
# Commune codes with their child population (under 16) in 2017.
COMMUNES_2017 = {"19597": 3300, "19600": 1150, "19603": 1000, "19606": 1500, "19609": 850,
                 "19612": 1650, "19615": 1250, "19618": 1100, "19621": 1150}
MERGED = ("19609", "19603")   # from 2020 Cam Thanh reports as part of Thanh An (19603)
CAM_THUY, TOWN, CAM_HIEU, CAM_CHINH = "19606", "19597", "19615", "19618"
PARTIAL = 2017                # figures to 31/05/2017

# Health-insurance cards: yearly cards and price per card (4.5 % of the base salary
# × 12 months). 2012–2017 add up to the source's 5.905 cards and 3.667.005.000 đồng,
# which is exactly 5.905 × 621.000 đồng (base salary 1.150.000 đồng).
HI_CARDS = {2012: 1080, 2013: 1040, 2014: 1000, 2015: 985, 2016: 1010, 2017: 790,
            2018: 960, 2019: 940, 2020: 905, 2021: 890, 2022: 870}
HI_PRICE = {2012: 621_000, 2013: 621_000, 2014: 621_000, 2015: 621_000, 2016: 621_000,
            2017: 621_000, 2018: 702_000, 2019: 750_600, 2020: 804_600, 2021: 804_600, 2022: 804_600}
# Children receiving the monthly allowance, district totals by group.
ALLOWANCE = {2012: (12, 118, 176), 2013: (14, 122, 181), 2014: (15, 126, 187), 2015: (16, 130, 190),
             2016: (17, 134, 195), 2017: (18, 137, 198), 2018: (17, 140, 196), 2019: (16, 143, 191),
             2020: (15, 145, 186), 2021: (15, 148, 180), 2022: (14, 150, 176)}
CENTRE = {2012: 3, 2013: 3, 2014: 4, 2015: 5, 2016: 4, 2017: 4, 2018: 4, 2019: 3, 2020: 3, 2021: 2, 2022: 2}
# Scholarships held in the year: students, and the yearly amount. Zhishan pays 100.000 /
# 120.000 / 200.000 đồng a month by school level (cấp I–II, cấp III, university and college:
# the rates are $zhishan_* in catalog/validation_rules.yaml); FPT 1.200.000 and VNEP
# 3.250.000 đồng a year a student.
ZHISHAN_RATES = (100_000, 120_000, 200_000)
ZHISHAN_LEVELS = {2012: (30, 10, 4), 2013: (34, 11, 5), 2014: (38, 12, 6), 2015: (41, 14, 6),
                  2016: (43, 15, 7), 2017: (45, 16, 8), 2018: (44, 16, 8), 2019: (42, 15, 9),
                  2020: (40, 15, 9), 2021: (38, 14, 8), 2022: (36, 14, 8)}
SCHOLARSHIPS = {  # donor: {year: (students, yearly amount or None)}
    "fpt": {y: (20, 24_000_000) for y in range(2015, 2023)},
    "vnep": {y: (5, 16_250_000) for y in range(2016, 2021)},
    "aia": {2016: (6, 19_500_000), 2017: (7, 23_000_000), 2018: (7, 23_000_000)},
}
# "Cặp lá yêu thương" supports children in hardship: not a scholarship (element SPONSORED).
CAP_LA = {2017: 6, 2018: 6, 2019: 8}
# Bicycles by donor: AIA and the "Hành trình cuộc sống – xe đạp đến trường" programme.
BICYCLES = {("hanh_trinh", 2015): 3, ("aia", 2016): 5, ("hanh_trinh", 2017): 3,
            ("aia", 2018): 4, ("hanh_trinh", 2019): 6, ("hanh_trinh", 2021): 5}
BICYCLE_DONORS = ("aia", "hanh_trinh")
INJURIES = {2012: (9, 8, 7, 6), 2013: (8, 8, 6, 6), 2014: (8, 7, 6, 5), 2015: (7, 7, 5, 5),
            2016: (6, 6, 5, 4), 2017: (2, 3, 2, 1), 2018: (5, 5, 4, 3), 2019: (4, 5, 4, 3),
            2020: (4, 4, 3, 3), 2021: (3, 4, 3, 2), 2022: (3, 3, 3, 2)}
ABUSE = {2012: 2, 2013: 1, 2014: 2, 2015: 1, 2016: 1, 2017: 0, 2018: 1, 2019: 1, 2020: 0, 2021: 1, 2022: 0}
ONE_OFF_PLANS = {("npa_2013_2020", 2013), ("injury_prevention_2013_2015", 2013), ("csc_survey", 2014),
                 ("child_friendly", 2015), ("injury_prevention_2016_2020", 2016), ("csc_survey", 2016),
                 ("cp_programme", 2016), ("csc_survey", 2018), ("injury_prevention_2021_2025", 2021)}
YEARLY_PLANS = ("action_month", "children_day", "mid_autumn")
# Children in special circumstances beyond the full orphans and disabled children on
# allowance (who are among them), per child; the Law on Children 2016 (from 01/06/2017)
# counts more groups, so from 2018 the share is higher.
CSC_OTHER = (0.004, 0.007)
CSC_NEW_LAW = 1.5
QD34_MAX = (60, 80, 80, 60, 70, 70, 60, 80, 80, 80, 60, 60, 60, 50, 50)      # 1.000 points
QD06_MAX = (70, 80, 80, 80, 80, 80, 80, 80, 70, 70, 80, 70, 80)              # 1.000 points
QD06_FROM = 2019
QD34_FROM = 2014              # QĐ 34/2014/QĐ-TTg in force from 15/07/2014 (catalog/standards.yaml)


def split(total: int, weights: np.ndarray) -> np.ndarray:
    """Split a whole number over weights, largest remainder first (sums exactly to total)."""
    share = total * weights / weights.sum()
    out = np.floor(share).astype(int)
    order = np.argsort(-(share - out), kind="stable")
    out[order[: total - out.sum()]] += 1
    return out


def communes(year: int) -> list[str]:
    codes = list(COMMUNES_2017)
    return [c for c in codes if c != MERGED[0]] if year >= 2020 else codes


def population(year: int, rng: np.random.Generator) -> dict[str, int]:
    base = {c: n * (1 + 0.006 * (year - 2017)) for c, n in COMMUNES_2017.items()}
    if year >= 2020:
        base[MERGED[1]] += base.pop(MERGED[0])
    return {c: int(round(n * rng.uniform(0.99, 1.01))) for c, n in base.items()}


def scores(year: int, code: str, rng: np.random.Generator) -> tuple[str, dict[str, int]]:
    maxima, prefix = (QD06_MAX, "qd06") if year >= QD06_FROM else (QD34_MAX, "qd34")
    points = {f"{prefix}_c{i + 1:02d}": int(round(m * rng.uniform(0.82, 1.0))) for i, m in enumerate(maxima)}
    if year == QD06_FROM and code == CAM_CHINH:
        points["qd06_c07"] = 0     # abuse prevention not met: fails the standard despite its total
    return "CF_SCORE", points


def commune_rows(year: int, codes: list[str], pop: dict[str, int], rng: np.random.Generator) -> list[tuple]:
    """Children, gifts, child-friendly assessment and models: one return per commune."""
    rows = []
    for c in codes:
        rows.append(("CHILDREN", c, "default", pop[c]))
        rows.append(("CHILDREN_U6", c, "default", int(round(pop[c] * rng.uniform(0.36, 0.40)))))
        gifts = pop[c] * rng.uniform(0.05, 0.08) * (0.45 if year == PARTIAL else 1)   # five months of 2017
        rows.append(("GIFTS", c, "default", int(round(gifts))))
        if year != PARTIAL:            # assessed and recognised at the end of the year
            element, points = scores(year, c, rng)      # drawn every year: the other figures stay as they were
            if year >= QD34_FROM:      # 2012–2013: recognised under the 2010 standard, whose scores are not held
                rows += [(element, c, crit, p) for crit, p in points.items()]
            rows.append(("CF_RECOGNISED", c, "default", 0 if (year == QD06_FROM and c == CAM_CHINH) else 1))
        model = (c in (CAM_THUY, TOWN) and year >= 2013) or (c == CAM_HIEU and year >= 2019)
        rows.append(("CP_MODEL", c, "default", int(model)))
    return rows


def allowance_rows(year: int, codes: list[str], weights: np.ndarray, rng: np.random.Generator) -> list[tuple]:
    """Allowances by group, their reported total, and children in special circumstances.

    Full orphans and disabled children on allowance are children in special circumstances,
    so each commune's count is at least those two groups.
    """
    rows = []
    groups = [split(n, weights * rng.uniform(0.8, 1.2, len(codes))) for n in ALLOWANCE[year]]
    share = rng.uniform(*CSC_OTHER, len(codes)) * (1 - 0.03 * (year - 2012)) * (CSC_NEW_LAW if year > PARTIAL else 1)
    for i, c in enumerate(codes):
        for option, g in zip(("orphan_both", "disabled", "orphan_one"), groups):
            rows.append(("ALLOWANCE", c, option, int(g[i])))
        rows.append(("ALLOWANCE_TOTAL", c, "default", int(sum(g[i] for g in groups))))
        rows.append(("CSC_CHILDREN", c, "default", int(groups[0][i] + groups[1][i] + round(weights[i] * share[i]))))
    return rows


def flow_rows(year: int, codes: list[str], weights: np.ndarray, rng: np.random.Generator) -> list[tuple]:
    """Cards, injuries, abuse cases and bicycles: every commune, every cause and donor, zeros too."""
    rows = []
    for c, n in zip(codes, split(HI_CARDS[year], weights)):
        rows += [("HI_CARDS", c, "default", int(n)), ("HI_CARDS_VALUE", c, "default", int(n) * HI_PRICE[year])]
    for cause, n in zip(("drowning", "traffic", "fall", "other"), INJURIES[year]):
        shares = split(n, weights * rng.uniform(0.5, 1.5, len(codes)))
        rows += [("INJURIES", c, cause, int(k)) for c, k in zip(codes, shares)]
    rows += [("ABUSE_CASES", c, "default", int(k))
             for c, k in zip(codes, split(ABUSE[year], weights * rng.uniform(0.5, 1.5, len(codes))))]
    for donor in BICYCLE_DONORS:
        shares = split(BICYCLES.get((donor, year), 0), weights * rng.uniform(0.5, 1.5, len(codes)))
        rows += [("BICYCLES", c, donor, int(k)) for c, k in zip(codes, shares)]
    return rows


def year_rows(year: int, rng: np.random.Generator) -> list[tuple]:
    codes = communes(year)
    pop = population(year, rng)
    weights = np.array([pop[c] for c in codes], dtype=float)
    rows = commune_rows(year, codes, pop, rng) + allowance_rows(year, codes, weights, rng)
    rows += flow_rows(year, codes, weights, rng) + scholarship_rows(year, codes, weights, rng)
    rows.append(("CENTRE_CHILDREN", DISTRICT, "default", CENTRE[year]))
    for kind in YEARLY_PLANS:
        if not (year == PARTIAL and kind == "mid_autumn"):     # issued in August at the earliest
            rows.append(("PLANS", DISTRICT, kind, 1))
    rows += [("PLANS", DISTRICT, kind, 1) for kind, y in sorted(ONE_OFF_PLANS) if y == year]
    return [(e, year, u, cat, v, "data/generate.py", "") for e, u, cat, v in rows]


def scholarship_rows(year: int, codes: list[str], weights: np.ndarray, rng: np.random.Generator) -> list[tuple]:
    """Scholarships of the programmes running that year, and "Cặp lá yêu thương" (every commune, zeros too)."""
    rows = []
    levels = [split(n, weights * rng.uniform(0.9, 1.1, len(codes))) for n in ZHISHAN_LEVELS[year]]
    for i, c in enumerate(codes):
        counts = [int(level[i]) for level in levels]
        rows += [("ZHISHAN_LEVELS", c, lvl, n) for lvl, n in zip(("lower", "upper", "tertiary"), counts)]
        rows += [("SCHOLARSHIPS", c, "zhishan", sum(counts)),
                 ("SCHOLARSHIP_VALUE", c, "zhishan", 12 * sum(n * r for n, r in zip(counts, ZHISHAN_RATES)))]
    for donor, by_year in SCHOLARSHIPS.items():
        if year not in by_year:
            continue
        students, amount = by_year[year]
        counts = split(students, weights * rng.uniform(0.9, 1.1, len(codes)))
        amounts = split(amount, counts.astype(float))
        for c, n, value in zip(codes, counts, amounts):
            rows += [("SCHOLARSHIPS", c, donor, int(n)), ("SCHOLARSHIP_VALUE", c, donor, int(value))]
    if year in CAP_LA:
        counts = split(CAP_LA[year], weights * rng.uniform(0.7, 1.3, len(codes)))
        rows += [("SPONSORED", c, "cap_la", int(n)) for c, n in zip(codes, counts)]
    return rows


def with_notes(rows: list[tuple]) -> list[tuple]:
    """The source wrote AIA's 2017 amount "23.0000.000": say so on its first row."""
    out, noted = [], False
    for row in rows:
        element, year, unit, category, value, source, comment = row
        if not noted and (element, year, category) == ("SCHOLARSHIP_VALUE", 2017, "aia") and value:
            comment, noted = "báo cáo gốc ghi “23.0000.000”", True
        out.append((element, year, unit, category, value, source, comment))
    return out


def main(folder: Path = Path(__file__).parent / "values") -> None:
    rng = np.random.default_rng(20170531)
    folder.mkdir(parents=True, exist_ok=True)
    for year in YEARS:
        with open(folder / f"cam-lo-{year}.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["element", "period", "unit", "category", "value", "source", "comment"])
            writer.writerows(with_notes(year_rows(year, rng)))


if __name__ == "__main__":
    main()
