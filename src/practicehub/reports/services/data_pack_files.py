"""The county self-assessment data pack as files: Excel with one sheet per measure (and one per
disparity stage) and the notes on an "About" sheet, or one long CSV of every figure. The figures
are those of ``outcomes.services.data_pack`` (the page shows the same)."""

from __future__ import annotations

from decimal import Decimal

from practicehub.core.services.tables import Cell, Percent, to_csv, to_xlsx_book
from practicehub.core.services.tables import Table as FileTable
from practicehub.outcomes.services.data_pack import (
    DataPack,
    MeasureTable,
    StageTable,
    year_code,
    year_label,
)
from practicehub.outcomes.services.formatting import Figure

STAGE_SHEETS = {"entries": "Disparities at entry", "in_care": "Disparities in care",
                "long_term_24m": "Disparities 24 months in care"}
SUPPRESSED_NOTE = ("Suppression: counts from 1 to 10, and every figure derived from them, are "
                   "shown as 'suppressed' (spec §5); a few other cells are suppressed so that "
                   "none can be worked out by subtraction.")
UNSUPPRESSED_NOTE = ("Unsuppressed figures (analyst role) for the places your scope holds: "
                     "small counts are shown. Do not publish them outside your organisation.")


def notes(pack: DataPack) -> tuple[str, ...]:
    places = ", ".join(p.name for p in pack.asked.places)
    unsuppressed = [p.name for p in pack.asked.places if not p.suppress]
    first, last = pack.periods[0], pack.periods[-1]
    return (
        f"County self-assessment data pack of {pack.county.name}. Places: {places}.",
        f"Federal fiscal years {first.start.isoformat()} to {last.end.isoformat()} "
        f"({len(pack.periods)} years).",
        *( [f"The imported data reach {pack.as_of.isoformat()}."] if pack.as_of else []),
        SUPPRESSED_NOTE if not unsuppressed else
        f"{UNSUPPRESSED_NOTE} Unsuppressed: {', '.join(unsuppressed)}; the others "
        f"suppressed. {SUPPRESSED_NOTE}",
        "DQ after a figure: the data behind it are over a data-quality limit (see the "
        "data-quality report).",
        "Aggregate figures, not records of individual children. Each figure is the one "
        "`practicehub outcomes compute` gives for the measure, place, group and year.",
    )


def shown(figure: Figure) -> str:
    """A figure as the page writes it, with its DQ mark."""
    return f"{figure.text} DQ" if figure.data_quality and not figure.suppressed else figure.text


def cell(figure: Figure) -> Cell:
    """A number Excel can compute with when the figure is plain, else the page's words."""
    if figure.suppressed or figure.value is None or figure.data_quality:
        return shown(figure)
    text = figure.text
    if text.endswith("%"):
        return Percent(Decimal(text.rstrip("%")), text)
    return Decimal(text)


def measure_table(pack: DataPack, table: MeasureTable) -> FileTable:
    headers = ["Place", *(year_label(p) for p in pack.periods)]
    rows: list[list[Cell]] = [[row.place.name, *(cell(f) for f in row.figures)]
                              for row in table.rows]
    return FileTable(table.spec.id, table.spec.title, headers, rows)


def stage_table(pack: DataPack, table: StageTable) -> FileTable:
    headers = ["Place", "Race and ethnicity"]
    for period in pack.periods:
        code = f"FFY {period.end.year}"
        headers += [f"{code} rate per 1,000", f"{code} disproportionality",
                    f"{code} disparity"]
    rows: list[list[Cell]] = []
    for row in table.rows:
        cells: list[Cell] = [row.place.name, row.race_label]
        for rate, prop, disp in row.cells:
            cells += [cell(rate), cell(prop), cell(disp)]
        rows.append(cells)
    return FileTable(f"disparities-{table.stage}", STAGE_SHEETS[table.stage], headers, rows)


def workbook(pack: DataPack) -> bytes:
    tables = [measure_table(pack, t) for t in pack.measures]
    tables += [stage_table(pack, t) for t in pack.stages]
    return to_xlsx_book(tables, f"Data pack: {pack.county.name}", notes(pack))


LONG_HEADERS = ["measure", "measure_title", "place", "place_code", "race_ethnicity",
                "federal_year", "period_start", "period_end", "value", "shown", "numerator",
                "denominator", "interval_95", "suppressed", "data_quality"]


def _long_row(figure: Figure, place_name: str, place_code: str, race: str,
              period_index: int, pack: DataPack) -> list[Cell]:
    period = pack.periods[period_index]
    value = figure.value
    return [figure.spec.id, figure.spec.title, place_name, place_code, race, year_code(period),
            period.start, period.end, "" if value is None else repr(round(value, 10)),
            figure.text, figure.numerator, figure.denominator, figure.interval,
            "yes" if figure.suppressed else "no", "DQ" if figure.data_quality else ""]


def long_table(pack: DataPack) -> FileTable:
    rows: list[list[Cell]] = []
    for table in pack.measures:
        for row in table.rows:
            rows += [_long_row(f, row.place.name, row.place.code, "", i, pack)
                     for i, f in enumerate(row.figures)]
    for stage in pack.stages:
        for drow in stage.rows:
            for figures in (drow.rates, drow.disproportionality, drow.disparity):
                rows += [_long_row(f, drow.place.name, drow.place.code, drow.race, i, pack)
                         for i, f in enumerate(figures)]
    return FileTable(f"data-pack-{pack.county.code}", "Data pack", LONG_HEADERS, rows,
                     notes(pack))


def csv_bytes(pack: DataPack) -> bytes:
    return to_csv(long_table(pack))


def file_name(pack: DataPack, extension: str) -> str:
    return f"data-pack-{pack.county.code}-{len(pack.periods)}y.{extension}"


def empty(fmt: str, *, no_data: bool) -> tuple[bytes, str]:
    """The file when there is nothing to put in it: the long table's headers and why."""
    why = ("No outcome data are imported yet." if no_data
           else "Your roles cover no county, so there are no outcome figures to show you.")
    table = FileTable("data-pack", "Data pack", LONG_HEADERS, [], (why,))
    body = to_csv(table) if fmt == "csv" else to_xlsx_book([table], "Data pack", (why,))
    return body, f"data-pack.{fmt}"
