"""A synthetic province for the sample programme: catalog, values and reviews of many districts.

    from province import write_province      # (data/ on sys.path)
    write_province("/tmp/province")           # -> /tmp/province/{catalog,values,reviews}/

Batch tests and benchmarks render real reports of programme ct20 on more than the sample
district with it. Values are random but seeded: the same arguments give the same files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from evaltools.model.catalog import DEFAULT_OPTION, Catalog
from evaltools.model.units import valid_in

HERE = Path(__file__).resolve().parent
SAMPLE_CATALOG = HERE / "catalog"
SAMPLE_PROGRAMME = HERE.parent / "programmes" / "ct20"

# --- A province as a data root, with the sample's catalog ------------------------------------------
#
# :func:`write_province` writes what an analyst's data folder holds (catalog/, values/, reviews/)
# for a made-up province, so batches run real reports on more than the sample district. The
# catalogs other than org_units.yaml are copied from the sample (same elements, indicators,
# standards); the values are generated per element with plausible magnitudes, seeded.

PROVINCE_CODE = "99"
# The root of a synthetic country (several provinces): a unit of level country above the provinces, so
# that a national review compares the provinces as a province's review compares its districts.
COUNTRY = {"code": "VN", "name": {"vi": "Việt Nam", "en": "Viet Nam"}, "level": "country", "parent": None}
_SYLLABLES = ("An", "Bình", "Hòa", "Phú", "Thạnh", "Tân", "Long", "Hưng", "Phước", "Đông", "Tây", "Nam",
              "Bắc", "Trung", "Thủy", "Sơn", "Hải", "Lộc", "Thành", "Mỹ", "Quang", "Vĩnh", "Xuân", "Hiệp",
              "Khánh", "Đức", "Lạc", "Nghĩa", "Tiến", "Thuận")
_SHARED_CATALOGS = ("data_elements.yaml", "indicators.yaml", "standards.yaml", "legends.yaml",
                    "validation_rules.yaml")
# Per child and year: (element, option or None, rate). Counts are Poisson around pop × rate.
_RATES = (("GIFTS", None, 0.065), ("ABUSE_CASES", None, 0.00015),
          ("ALLOWANCE", "orphan_both", 0.0012), ("ALLOWANCE", "disabled", 0.010),
          ("ALLOWANCE", "orphan_one", 0.014), ("INJURIES", "drowning", 0.0004),
          ("INJURIES", "traffic", 0.0004), ("INJURIES", "fall", 0.0003), ("INJURIES", "other", 0.0003),
          ("SCHOLARSHIPS", "zhishan", 0.004), ("HI_CARDS", None, 0.07))
# Yearly award per student (đồng) of each donor (Zhishan pays by school level, _ZHISHAN).
_AWARDS = {"fpt": 1_200_000, "vnep": 3_250_000, "aia": 3_250_000}
# Zhishan: share of holders by school level (lower, upper, tertiary) and monthly rates.
_ZHISHAN = ((0.65, 100_000), (0.23, 120_000), (0.12, 200_000))
# Children in special circumstances besides full orphans and disabled children on allowance.
_CSC_OTHER = 0.005


def _unique_names(rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        a, b = rng.choice(len(_SYLLABLES), 2, replace=False)
        name = f"{_SYLLABLES[a]} {_SYLLABLES[b]}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def province_units(districts: int, first_year: int, last_year: int, seed: int, provinces: int = 1) -> list[dict]:
    """Org-unit rows of the synthetic province(s): 8–12 communes per district, some merged in 2020.

    In every third district commune 3 merges into commune 2 on 01/01/2020 (when 2020 lies in
    the years), like Cam An and Cam Thanh in the sample. One province is coded 99; several
    (a synthetic country) are coded 01, 02 ... with ``districts`` districts each, below the
    country's root unit (:data:`COUNTRY`).
    """
    rng = np.random.default_rng(seed)
    start = dt.date(first_year, 1, 1).isoformat()
    rows = [] if provinces == 1 else [{**COUNTRY, "valid_from": start}]
    for p in range(1, provinces + 1):
        code = PROVINCE_CODE if provinces == 1 else f"{p:02d}"
        name = "Tỉnh Mẫu" if provinces == 1 else f"Tỉnh Mẫu {p}"
        rows.append({"code": code, "name": name, "level": "province",
                     "parent": None if provinces == 1 else COUNTRY["code"], "valid_from": start})
        rows += _province_rows(code, districts, first_year, last_year, rng, start, provinces == 1)
    return rows


def _province_rows(province: str, districts: int, first_year: int, last_year: int, rng: np.random.Generator,
                   start: str, alone: bool) -> list[dict]:
    rows: list[dict] = []
    taken: set[str] = set()
    number = 1
    for d, name in enumerate(_unique_names(rng, districts, taken), 1):
        dc = f"{province[0]}{d:02d}" if alone else f"{province}{d:02d}"
        rows.append({"code": dc, "name": f"Huyện {name}", "level": "district", "parent": province,
                     "valid_from": start})
        merge = d % 3 == 1 and first_year < 2020 <= last_year
        for c, cname in enumerate(_unique_names(rng, int(rng.integers(8, 13)), taken), 1):
            code = f"{90000 + 3 * number}" if alone else f"{province}{number:03d}"
            number += 1
            row = {"code": code, "name": f"Thị trấn {name}" if c == 1 else f"Xã {cname}", "level": "commune",
                   "parent": dc, "valid_from": start}
            if rng.random() < 0.2 and c > 1:
                row["class"] = "disadvantaged"
            if merge and c == 3:
                row.update(valid_to="2019-12-31", successor=rows[-1]["code"])
            rows.append(row)
    return rows


def _org_units_yaml(rows: list[dict], seed: int) -> str:
    def text(key: str, v) -> str:
        if v is None:
            return "null"
        if isinstance(v, dict):                     # a name in each language
            return "{" + ", ".join(f"{lang}: {text}" for lang, text in v.items()) + "}"
        return f'"{v}"' if key in ("code", "parent", "successor") else str(v)   # codes stay strings

    lines = [f"# Org units of a synthetic province (evaltools.model.synthetic.write_province, seed {seed}):",
             "# made up, not real. Fields as in the sample's data/catalog/org_units.yaml.", "", "units:"]
    lines += ["  - {" + ", ".join(f"{k}: {text(k, v)}" for k, v in row.items()) + "}" for row in rows]
    return "\n".join(lines) + "\n"


def _price(prices: dict[int, float], year: int) -> int:
    """The card price of ``year``, else of the nearest earlier (or first) year listed."""
    known = sorted(prices)
    earlier = [y for y in known if y <= year]
    return int(prices[earlier[-1] if earlier else known[0]])


def _scores(standard: pd.Series | None, klass: str, rng: np.random.Generator) -> list[tuple]:
    """CF_SCORE points per criterion and CF_RECOGNISED under the standard in force."""
    if standard is None:
        return []
    points = {c: int(round(m * rng.uniform(0.8, 1.0))) for c, m in standard["max"].items()}
    if standard["zero_criterion_fails"] and rng.random() < 0.03:
        points[rng.choice(list(points))] = 0
    passed = sum(points.values()) >= standard["min_total"].get(klass, 1000) and not (
        standard["zero_criterion_fails"] and 0 in points.values())
    return [(standard["element"], c, p) for c, p in points.items()] + [("CF_RECOGNISED", DEFAULT_OPTION, int(passed))]


def _scholarship_rows(zhishan: int, rng: np.random.Generator) -> list[tuple]:
    """Zhishan holders by level with their value, other donors now and then, "Cặp lá yêu thương"."""
    levels = [int(round(zhishan * share)) for share, _ in _ZHISHAN]
    rows = [("ZHISHAN_LEVELS", lvl, n) for lvl, n in zip(("lower", "upper", "tertiary"), levels)]
    rows += [("SCHOLARSHIPS", "zhishan", sum(levels)),
             ("SCHOLARSHIP_VALUE", "zhishan", 12 * sum(n * rate for n, (_, rate) in zip(levels, _ZHISHAN)))]
    for donor, award in _AWARDS.items():
        if rng.random() < 0.15:
            students = int(rng.poisson(2)) + 1
            rows += [("SCHOLARSHIPS", donor, students), ("SCHOLARSHIP_VALUE", donor, students * award)]
    if rng.random() < 0.15:
        rows.append(("SPONSORED", "cap_la", int(rng.poisson(2)) + 1))
    return rows


def _commune_rows(pop: int, trend: float, klass: str, standard, price: int, model_from: int, year: int,
                  rng: np.random.Generator) -> list[tuple]:
    """(element, category, value) of one commune's return for one year; counts of zero are reported."""
    counts = {(e, o): int(rng.poisson(pop * rate * trend)) for e, o, rate in _RATES}
    u6 = int(round(pop * rng.uniform(0.36, 0.40)))
    cards = min(counts.pop(("HI_CARDS", None)), u6)
    rows = [("CHILDREN", DEFAULT_OPTION, pop), ("CHILDREN_U6", DEFAULT_OPTION, u6),
            ("HI_CARDS", DEFAULT_OPTION, cards), ("HI_CARDS_VALUE", DEFAULT_OPTION, cards * price),
            ("CP_MODEL", DEFAULT_OPTION, int(year >= model_from))]
    rows += [(element, option or DEFAULT_OPTION, n) for (element, option), n in counts.items()
             if element != "SCHOLARSHIPS"]
    rows.append(("ALLOWANCE_TOTAL", DEFAULT_OPTION, sum(n for (e, _), n in counts.items() if e == "ALLOWANCE")))
    csc = counts[("ALLOWANCE", "orphan_both")] + counts[("ALLOWANCE", "disabled")]
    rows.append(("CSC_CHILDREN", DEFAULT_OPTION, csc + int(rng.poisson(pop * _CSC_OTHER * trend))))
    rows += _scholarship_rows(counts[("SCHOLARSHIPS", "zhishan")], rng)
    rows += [("BICYCLES", d, int(rng.poisson(2)) + 1 if rng.random() < 0.2 else 0) for d in ("aia", "hanh_trinh")]
    return rows + _scores(standard, klass, rng)


def _district_rows(options: list[str], rng: np.random.Generator) -> list[tuple]:
    """(element, category, value) reported by a district office for one year."""
    yearly = ("action_month", "children_day", "mid_autumn")
    rows = [("CENTRE_CHILDREN", DEFAULT_OPTION, int(rng.poisson(3)))]
    return rows + [("PLANS", o, 1) for o in options if o in yearly or rng.random() < 0.15]


def _generic_rows(elements: pd.DataFrame, options: pd.DataFrame, known: set[str], pop: int,
                  rng: np.random.Generator) -> list[tuple]:
    """Values of elements this generator has no profile for, by value type (catalogs grow)."""
    rows = []
    for code, e in elements[~elements.index.isin(known)].iterrows():
        cats = list(options.loc[e["disaggregation"], "option"]) if isinstance(e["disaggregation"], str) \
            else [DEFAULT_OPTION]
        for cat in cats:
            value = {"boolean": lambda: int(rng.random() < 0.5), "number": lambda: round(rng.uniform(0, 100), 1),
                     "amount": lambda: int(rng.poisson(20)) * 1_000_000}.get(
                e["value_type"], lambda: int(rng.poisson(pop * 0.01)))()
            rows.append((code, cat, value))
    return rows


_PROFILED = {"CHILDREN", "CHILDREN_U6", "HI_CARDS", "HI_CARDS_VALUE", "CP_MODEL", "ALLOWANCE", "ALLOWANCE_TOTAL",
             "SCHOLARSHIPS", "SCHOLARSHIP_VALUE", "ZHISHAN_LEVELS", "SPONSORED", "BICYCLES", "CF_SCORE", "CF_RECOGNISED", "CSC_CHILDREN", "GIFTS",
             "ABUSE_CASES", "INJURIES", "CENTRE_CHILDREN", "PLANS"}


def province_values(catalog: Catalog, standards: pd.DataFrame, prices: dict[int, float], first_year: int,
                    last_year: int, seed: int) -> pd.DataFrame:
    """Data values (element, period, unit, category, value) for every unit of ``catalog``, every year.

    Populations grow slowly and a merged commune's children count in its successor from
    the merger on; rates per child drift down a little each year (fewer injuries, fewer
    children in special circumstances).
    """
    from evaltools.assess.scorecards import standard_for

    rng = np.random.default_rng(seed)
    units = catalog.units
    communes = units[units["level"] == "commune"].drop_duplicates("code", keep="last").set_index("code")
    base = {c: int(rng.integers(900, 4200)) for c in communes.index}
    model_from = {c: int(rng.integers(first_year + 1, last_year + 6)) for c in communes.index}
    options = list(catalog.options.loc["plan_kind", "option"]) if "plan_kind" in catalog.options.index else []
    by_level = {lvl: catalog.elements[catalog.elements["level"] == lvl] for lvl in ("commune", "district")}
    rows = []
    for year in range(first_year, last_year + 1):
        active = units[valid_in(units, year)]
        merged = units[units["successor"].notna() & ~valid_in(units, year) & units["level"].eq("commune")]
        trend, standard = 1 - 0.03 * (year - first_year), standard_for(standards, year)
        for code in active.loc[active["level"] == "commune", "code"]:
            people = base[code] + sum(base[m] for m in merged.loc[merged["successor"] == code, "code"])
            pop = int(round(people * (1 + 0.006 * (year - first_year)) * rng.uniform(0.99, 1.01)))
            found = _commune_rows(pop, trend, communes.at[code, "class"], standard, _price(prices, year),
                                  model_from[code], year, rng)
            found += _generic_rows(by_level["commune"], catalog.options, _PROFILED, pop, rng)
            rows += [(e, year, code, o, v) for e, o, v in found]
        for code in active.loc[active["level"] == "district", "code"]:
            found = _district_rows(options, rng) + _generic_rows(by_level["district"], catalog.options,
                                                                 _PROFILED, 1000, rng)
            rows += [(e, year, code, o, v) for e, o, v in found]
    known = set(catalog.elements.index)
    frame = pd.DataFrame(rows, columns=["element", "period", "unit", "category", "value"])
    return frame[frame["element"].isin(known)].reset_index(drop=True)


def write_province(folder: str | Path, districts: int = 24, first_year: int = 2012, last_year: int = 2022,
                   seed: int = 1, catalog: str | Path | None = None, programme: str | Path = SAMPLE_PROGRAMME,
                   provinces: int = 1) -> Path:
    """Write a synthetic province as a data root: ``catalog/``, ``values/``, ``reviews/``.

    Parameters
    ----------
    folder : path
        Where to write (created; existing files of the same names are replaced).
    districts : int
        Districts in the province, each with 8–12 communes.
    first_year, last_year : int
        Years of data values.
    seed : int
        The same arguments always give the same files, byte for byte.
    catalog : path, optional
        The catalog folder to copy elements, indicators and standards from (default: the
        sample's ``data/catalog``); org units are the province's own.
    programme : path
        The programme folder the reviews name (default: the sample's ``programmes/ct20``).
    provinces : int
        More than one: a synthetic country of that many provinces of ``districts`` districts,
        one values file per province and year (``province-<code>-<year>.csv``).

    Returns
    -------
    Path
        The review config to expand over the districts, ``reviews/ct20-<first>-<last>.yaml``
        (its area is the first district; ``reviews/annual-<last>.yaml`` is written too).
    """
    from evaltools.assess.scorecards import load_standards
    from evaltools.model.catalog import load_catalog
    from evaltools.core.iorw import atomic_write
    from evaltools.validation.rules import load_rules

    folder, source = Path(folder), Path(catalog) if catalog else SAMPLE_CATALOG
    units = province_units(districts, first_year, last_year, seed, provinces)
    for name in _SHARED_CATALOGS:
        atomic_write(folder / "catalog" / name, (source / name).read_bytes())
    atomic_write(folder / "catalog" / "org_units.yaml", _org_units_yaml(units, seed))
    cat = load_catalog(folder / "catalog")
    prices = load_rules(folder / "catalog" / "validation_rules.yaml", cat).constants["hi_card_price"]
    values = province_values(cat, load_standards(folder / "catalog" / "standards.yaml"), prices,
                             first_year, last_year, seed)
    home = {r["code"]: r["code"][:2] for r in units}          # a unit's province (several: its code's first two)
    for key, part in values.groupby(["period"] if provinces == 1 else [values["unit"].map(home), "period"]):
        text = part.assign(source="evaltools.model.synthetic", comment="").to_csv(index=False, lineterminator="\n")
        name = f"province-{key[0]}.csv" if provinces == 1 else f"province-{key[0]}-{key[1]}.csv"
        atomic_write(folder / "values" / name, text)
    first = next(row for row in units if row["level"] == "district")
    return _write_province_reviews(folder / "reviews", first, first_year, last_year, Path(programme).resolve())


_REVIEW = """\
# {what} (evaltools.model.synthetic.write_province).
# {usage}
id: {id}
programme: {programme}
kind: {kind}
title:
  vi: {title_vi}
  en: {title_en}
superior_office:
  vi: {superior_vi}
  en: {superior_en}
issuing_office:
  vi: {issuer_vi}
  en: {issuer_en}
place: {place}
date: {last}-12-20
area: "{area}"
first_year: {first}
last_year: {last}
cutoff: {last}-12-15
language: vi
data: ..
narrative:
  vi: province.vi.md
  en: province.en.md
recipients:
  - {{vi: UBND tỉnh, en: Provincial People's Committee}}
  - {{vi: "Lưu: VT, TE", en: "Filed: office records, child protection"}}
indicators: [COMMUNES, CHILDREN, CF_COMMUNES, CF_SHARE, CF_SCORE, CENTRE_CHILDREN, ALLOWANCE, ALLOWANCE_RATE,
             CSC_CHILDREN, SCHOLARSHIPS, SCHOLARSHIP_VALUE, BICYCLES, GIFTS, HI_CARDS, HI_CARDS_VALUE,
             INJURIES, INJURY_RATE, ABUSE_CASES, CP_MODELS, PLANS]
assessment:
  stable_band: 0.05
  lagging: 2
  highlights: [ALLOWANCE, HI_CARDS]
targets:
  - indicator: CF_SHARE
    operator: ">="
    value: 90
    plan:
      vi: Kế hoạch xây dựng xã, thị trấn phù hợp với trẻ em của tỉnh
      en: Provincial child-friendly communes plan
"""
_EXPAND = "Expand it over the province: evaltools batch {name} --areas all-districts"
_DISTRICT_OFFICE = {"issuer_vi": "Phòng Lao động - Thương binh và Xã hội",
                    "issuer_en": "Office of Labour, Invalids and Social Affairs"}
_NARRATIVE = {
    "vi": "<!-- Phần lời chung cho mọi huyện của tỉnh mẫu (dữ liệu tổng hợp, không có thật). -->\n\n"
          "## Tình hình chung {#general}\n\nCông tác bảo vệ, chăm sóc và giáo dục trẻ em được các cấp ủy Đảng, "
          "chính quyền quan tâm chỉ đạo.\n\n## Nhiệm vụ {#tasks}\n\n- Tiếp tục xây dựng xã, thị trấn phù hợp "
          "với trẻ em.\n\n## Kiến nghị, đề xuất {#recommendations}\n\n- Đề nghị tỉnh bố trí kinh phí cho "
          "công tác trẻ em ở cấp xã.\n",
    "en": "<!-- Narrative shared by every district of the synthetic province (made-up data). -->\n\n"
          "## General situation {#general}\n\nParty committees and authorities give child protection, care "
          "and education their attention.\n\n## Tasks {#tasks}\n\n- Keep building child-friendly communes."
          "\n\n## Recommendations {#recommendations}\n\n- The province should fund child protection work "
          "in the communes.\n",
}


def _write_province_reviews(folder: Path, district: dict, first_year: int, last_year: int, programme: Path) -> Path:
    from evaltools.core.iorw import atomic_write

    place = district["name"].removeprefix("Huyện ")
    common = {"area": district["code"], "place": place, "last": last_year,
              "superior_vi": "UBND huyện " + place,
              "programme": programme, "superior_en": f"{place} District People's Committee", **_DISTRICT_OFFICE}
    for lang, text in _NARRATIVE.items():
        atomic_write(folder / f"province.{lang}.md", text)
    annual = f"annual-{last_year}"
    atomic_write(folder / f"{annual}.yaml", _REVIEW.format(
        what="Annual report of a synthetic district", usage=_EXPAND.format(name=f"{annual}.yaml"), id=annual, kind="annual", first=last_year,
        title_vi=f"Báo cáo kết quả công tác trẻ em năm {last_year}",
        title_en=f"Child protection in {last_year}, annual report", **common))
    review = f"ct20-{first_year}-{last_year}"
    return atomic_write(folder / f"{review}.yaml", _REVIEW.format(
        what="Review of Directive 20-CT/TW of a synthetic district", usage=_EXPAND.format(name=f"{review}.yaml"), id=review, kind="final", first=first_year,
        title_vi=f"Tổng kết thực hiện Chỉ thị số 20-CT/TW giai đoạn {first_year}–{last_year}",
        title_en=f"Review of Directive 20-CT/TW, {first_year}–{last_year}", **common))


def _write_area_review(folder: str | Path, review: str, first_year: int, last_year: int, programme: str | Path,
                       **words: str) -> Path:
    """A review of a whole area (its ``area``, ``place``, offices and titles in ``words``) in ``reviews/``."""
    from evaltools.core.iorw import atomic_write

    return atomic_write(Path(folder) / "reviews" / f"{review}.yaml", _REVIEW.format(
        usage=f"Render it: evaltools run {review}.yaml", id=review, kind="final", first=first_year,
        last=last_year, programme=Path(programme).resolve(), **words))


def write_province_review(folder: str | Path, first_year: int, last_year: int,
                          programme: str | Path = SAMPLE_PROGRAMME) -> Path:
    """The province's own review over the data :func:`write_province` wrote in ``folder``: its area is
    the province (code 99), so its tables and rankings compare the province's districts.

    Returns
    -------
    Path
        ``reviews/province-<first>-<last>.yaml``
    """
    return _write_area_review(
        folder, f"province-{first_year}-{last_year}", first_year, last_year, programme,
        what="Review of Directive 20-CT/TW of the synthetic province, its districts compared",
        area=PROVINCE_CODE, place="Tỉnh Mẫu", superior_vi="UBND tỉnh Mẫu",
        superior_en="Mẫu Provincial People's Committee", issuer_vi="Sở Lao động - Thương binh và Xã hội",
        issuer_en="Department of Labour, Invalids and Social Affairs",
        title_vi=f"Tổng kết thực hiện Chỉ thị số 20-CT/TW trên địa bàn tỉnh giai đoạn {first_year}–{last_year}",
        title_en=f"Review of Directive 20-CT/TW in the province, {first_year}–{last_year}")


def write_national_review(folder: str | Path, first_year: int, last_year: int,
                          programme: str | Path = SAMPLE_PROGRAMME) -> Path:
    """The country's own review over a synthetic country :func:`write_province` wrote in ``folder``
    (``provinces`` > 1): its area is the root unit (:data:`COUNTRY`), so its tables and rankings
    compare the provinces.

    Returns
    -------
    Path
        ``reviews/national-<first>-<last>.yaml``
    """
    return _write_area_review(
        folder, f"national-{first_year}-{last_year}", first_year, last_year, programme,
        what="Review of Directive 20-CT/TW of the synthetic country, its provinces compared",
        area=COUNTRY["code"], place="Hà Nội", superior_vi="Chính phủ", superior_en="Government",
        issuer_vi="Bộ Lao động - Thương binh và Xã hội",
        issuer_en="Ministry of Labour, Invalids and Social Affairs",
        title_vi=f"Tổng kết thực hiện Chỉ thị số 20-CT/TW trên phạm vi cả nước giai đoạn {first_year}–{last_year}",
        title_en=f"Review of Directive 20-CT/TW in the country, {first_year}–{last_year}")
