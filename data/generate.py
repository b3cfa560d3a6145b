"""Generate the Cam Lộ sample data values, 2012–2022 (deterministic).

    python data/generate.py            # rewrites data/values/cam-lo-YYYY.csv

District totals for 2012–2017 reproduce every figure of the source report
(../shared/DOMAIN.md §2). The split of district totals over communes, and every
figure for 2018–2022, are synthetic: made up to be plausible, nothing more.
The same seed always gives the same files, byte for byte.
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
# Scholarships held in the year: students, and the yearly amount (None: not reported).
# Zhishan pays 100.000 / 120.000 / 200.000 đồng a month by school level.
ZHISHAN_LEVELS = {2012: (30, 10, 4), 2013: (34, 11, 5), 2014: (38, 12, 6), 2015: (41, 14, 6),
                  2016: (43, 15, 7), 2017: (45, 16, 8), 2018: (44, 16, 8), 2019: (42, 15, 9),
                  2020: (40, 15, 9), 2021: (38, 14, 8), 2022: (36, 14, 8)}
SCHOLARSHIPS = {  # donor: {year: (students, yearly amount or None)}
    "fpt": {y: (20, 24_000_000) for y in range(2015, 2023)},
    "vnep": {y: (5, 16_250_000) for y in range(2016, 2021)},
    "aia": {2016: (6, 19_500_000), 2017: (7, 23_000_000), 2018: (7, 23_000_000)},
    "cap_la": {2017: (6, None), 2018: (6, None), 2019: (8, None)},
}
BICYCLES = {("hanh_trinh", 2015): 3, ("aia", 2016): 5, ("hanh_trinh", 2017): 3,
            ("aia", 2018): 4, ("hanh_trinh", 2019): 6, ("hanh_trinh", 2021): 5}
INJURIES = {2012: (9, 8, 7, 6), 2013: (8, 8, 6, 6), 2014: (8, 7, 6, 5), 2015: (7, 7, 5, 5),
            2016: (6, 6, 5, 4), 2017: (5, 6, 4, 4), 2018: (5, 5, 4, 3), 2019: (4, 5, 4, 3),
            2020: (4, 4, 3, 3), 2021: (3, 4, 3, 2), 2022: (3, 3, 3, 2)}
ABUSE = {2012: 2, 2013: 1, 2014: 2, 2015: 1, 2016: 1, 2017: 0, 2018: 1, 2019: 1, 2020: 0, 2021: 1, 2022: 0}
ONE_OFF_PLANS = {("npa_2013_2020", 2013), ("injury_prevention", 2013), ("csc_survey", 2014),
                 ("child_friendly", 2015), ("injury_prevention", 2016), ("csc_survey", 2016),
                 ("cp_programme", 2016), ("csc_survey", 2018), ("injury_prevention", 2021)}
YEARLY_PLANS = ("action_month", "children_day", "mid_autumn")
QD34_MAX = (60, 80, 80, 60, 70, 70, 60, 80, 80, 80, 60, 60, 60, 50, 50)      # 1.000 points
QD06_MAX = (70, 80, 80, 80, 80, 80, 80, 80, 70, 70, 80, 70, 80)              # 1.000 points
QD06_FROM = 2019


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


def year_rows(year: int, rng: np.random.Generator) -> list[tuple]:
    rows: list[tuple] = []
    add = lambda element, unit, value, category="default", comment="": rows.append(  # noqa: E731
        (element, year, unit, category, value, "data/generate.py", comment))
    codes = communes(year)
    pop = population(year, rng)
    weights = np.array([pop[c] for c in codes], dtype=float)
    for c in codes:
        add("CHILDREN", c, pop[c])
        add("CHILDREN_U6", c, int(round(pop[c] * rng.uniform(0.36, 0.40))))
        add("CSC_CHILDREN", c, int(round(pop[c] * rng.uniform(0.010, 0.016) * (1 - 0.03 * (year - 2012)))))
        add("GIFTS", c, int(round(pop[c] * rng.uniform(0.05, 0.08))))
        element, points = scores(year, c, rng)
        for crit, p in points.items():
            add(element, c, p, crit)
        add("CF_RECOGNISED", c, 0 if (year == QD06_FROM and c == CAM_CHINH) else 1)
        add("CP_MODEL", c, int((c in (CAM_THUY, TOWN) and year >= 2013) or (c == CAM_HIEU and year >= 2019)))
    groups = [split(n, weights * rng.uniform(0.8, 1.2, len(codes))) for n in ALLOWANCE[year]]
    for i, c in enumerate(codes):
        for option, g in zip(("orphan_both", "disabled", "orphan_one"), groups):
            add("ALLOWANCE", c, int(g[i]), option)
        add("ALLOWANCE_TOTAL", c, int(sum(g[i] for g in groups)))
    cards = split(HI_CARDS[year], weights)
    for c, n in zip(codes, cards):
        add("HI_CARDS", c, int(n))
        add("HI_CARDS_VALUE", c, int(n) * HI_PRICE[year])
    for cause, n in zip(("drowning", "traffic", "fall", "other"), INJURIES[year]):
        for c, k in zip(codes, split(n, weights * rng.uniform(0.5, 1.5, len(codes)))):
            if k:
                add("INJURIES", c, int(k), cause)
    for c, k in zip(codes, split(ABUSE[year], weights * rng.uniform(0.5, 1.5, len(codes)))):
        add("ABUSE_CASES", c, int(k))
    rows += scholarship_rows(year, codes, weights, rng)
    for (donor, y), n in BICYCLES.items():
        for c, k in zip(codes, split(n, weights * rng.uniform(0.5, 1.5, len(codes)))):
            if y == year and k:
                add("BICYCLES", c, int(k), donor)
    add("CENTRE_CHILDREN", DISTRICT, CENTRE[year])
    for kind in YEARLY_PLANS:
        add("PLANS", DISTRICT, 1, kind)
    for kind, y in sorted(ONE_OFF_PLANS):
        if y == year:
            add("PLANS", DISTRICT, 1, kind)
    return rows


def scholarship_rows(year: int, codes: list[str], weights: np.ndarray, rng: np.random.Generator) -> list[tuple]:
    rows = []
    levels = [split(n, weights * rng.uniform(0.7, 1.3, len(codes))) for n in ZHISHAN_LEVELS[year]]
    for i, c in enumerate(codes):
        students = sum(int(l[i]) for l in levels)
        amount = 12 * sum(int(l[i]) * rate for l, rate in zip(levels, (100_000, 120_000, 200_000)))
        rows += [("SCHOLARSHIPS", year, c, "zhishan", students, "data/generate.py", ""),
                 ("SCHOLARSHIP_VALUE", year, c, "zhishan", amount, "data/generate.py", "")]
    for donor, by_year in SCHOLARSHIPS.items():
        if year not in by_year:
            continue
        students, amount = by_year[year]
        counts = split(students, weights * rng.uniform(0.7, 1.3, len(codes)))
        amounts = split(amount, counts.astype(float)) if amount else None
        note = "báo cáo gốc ghi “23.0000.000”" if (donor, year) == ("aia", 2017) else ""
        for i, c in enumerate(codes):
            if counts[i]:
                rows.append(("SCHOLARSHIPS", year, c, donor, int(counts[i]), "data/generate.py", ""))
                if amounts is not None:
                    rows.append(("SCHOLARSHIP_VALUE", year, c, donor, int(amounts[i]), "data/generate.py", note))
                    note = ""
    return rows


def main(folder: Path = Path(__file__).parent / "values") -> None:
    rng = np.random.default_rng(20170531)
    folder.mkdir(parents=True, exist_ok=True)
    for year in YEARS:
        with open(folder / f"cam-lo-{year}.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["element", "period", "unit", "category", "value", "source", "comment"])
            writer.writerows(year_rows(year, rng))


if __name__ == "__main__":
    main()
