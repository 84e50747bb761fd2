"""Saved figures and tables: byte-identical on every run, written atomically, right places."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.figure import Figure

from gealc_analysis.charts import files, plots
from gealc_analysis.core import outputs


def small_figure() -> Figure:
    frame = pd.DataFrame(
        {
            "plan_year": [2020, 2020, 2024, 2024],
            "venue_mode": ["virtual", "on_site", "virtual", "on_site"],
            "n_activities": [3, 1, 4, 0],
            "share": [0.75, 0.25, 1.0, 0.0],
        }
    )
    return plots.plot_venue_mix(frame, lang="es")


def small_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "plan_year": [2020, 2024],
            "theme": ["ciberseguridad", "software_público"],
            "share": [1 / 3, -1e-9],
            "n": [1, 2],
        }
    )


def test_save_figure_writes_png_and_svg_under_figures(tmp_path):
    paths = files.save_figure(small_figure(), tmp_path / "out", "venue_mix")
    assert paths == [tmp_path / "out/figures/venue_mix.png", tmp_path / "out/figures/venue_mix.svg"]
    assert paths[0].read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in paths[1].read_bytes()[:1000]


def test_save_figure_twice_gives_byte_identical_files(tmp_path):
    first = [p.read_bytes() for p in files.save_figure(small_figure(), tmp_path / "a", "f")]
    second = [p.read_bytes() for p in files.save_figure(small_figure(), tmp_path / "b", "f")]
    assert first == second


def test_saved_figures_carry_no_date_or_software_banner(tmp_path):
    png, svg = files.save_figure(small_figure(), tmp_path, "f")
    assert b"Software" not in png.read_bytes()
    assert b"<dc:date>" not in svg.read_bytes()


def test_save_figure_leaves_no_temporary_files(tmp_path):
    files.save_figure(small_figure(), tmp_path, "f")
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["f.png", "f.svg"]


def test_save_table_writes_utf8_csv_with_unix_newlines_and_six_decimals(tmp_path):
    path = outputs.save_table(small_table(), tmp_path, "themes")
    assert path == tmp_path / "tables/themes.csv"
    assert path.read_bytes().decode("utf-8") == (
        "plan_year,theme,share,n\n"
        "2020,ciberseguridad,0.333333,1\n"
        "2024,software_público,0.000000,2\n"  # -1e-9 rounds to 0, never "-0.000000"
    )


def test_save_table_twice_gives_identical_bytes(tmp_path):
    first = outputs.save_table(small_table(), tmp_path / "a", "t").read_bytes()
    second = outputs.save_table(small_table(), tmp_path / "b", "t").read_bytes()
    assert first == second


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = outputs.save_table(small_table(), tmp_path, "t")
    before = path.read_bytes()

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(outputs.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        outputs.save_table(small_table().assign(n=[9, 9]), tmp_path, "t")
    assert path.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["t.csv", "t.xlsx"]


def test_a_figure_that_fails_to_render_leaves_no_file(tmp_path, monkeypatch):
    fig = small_figure()

    def crash(*_args, **_kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(fig, "savefig", crash)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        files.save_figure(fig, tmp_path, "f")
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def clipped_figure() -> Figure:
    """A figure whose line is clipped by a path (matplotlib ids such clips by ``id()``)."""
    from matplotlib.patches import Circle

    fig = Figure(figsize=(2, 2))
    ax = fig.subplots()
    (line,) = ax.plot([0, 1], [0, 1])
    circle = Circle((0.5, 0.5), 0.3, transform=ax.transData)
    line.set_clip_path(circle)
    return fig


def test_two_separately_drawn_identical_figures_give_identical_svg(tmp_path):
    first, second = clipped_figure(), clipped_figure()  # both alive: different id()s
    files.save_figure(first, tmp_path / "a", "clip")
    files.save_figure(second, tmp_path / "b", "clip")
    a = (tmp_path / "a" / "figures" / "clip.svg").read_bytes()
    assert b"clip-path" in a
    assert a == (tmp_path / "b" / "figures" / "clip.svg").read_bytes()


def test_stable_svg_ids_renames_definitions_and_references_alike():
    svg = (
        b'<clipPath id="p0123456789"/><use xlink:href="#h9876543210"/>'
        b'<g clip-path="url(#p0123456789)"/><pattern id="h9876543210"/>'
    )
    assert files.stable_svg_ids(svg) == (
        b'<clipPath id="p0000000001"/><use xlink:href="#h0000000002"/>'
        b'<g clip-path="url(#p0000000001)"/><pattern id="h0000000002"/>'
    )


def hostile_table() -> pd.DataFrame:
    """Text a spreadsheet would run (OWASP's triggers), beside numbers that must stay numbers."""
    return pd.DataFrame(
        {
            "title": [
                '=HYPERLINK("http://x")',
                "+1",
                "-cmd|' /C calc'!A0",
                "@SUM(A1)",
                "\tTAB",
                "\rCR",
                "plain - text",
            ],
            "change": [-3, -1, 0, 1, 2, 3, 4],
            "share": [-0.25, 0.5, 0.0, 1.0, 0.1, 0.2, 0.3],
        }
    )


def test_csv_cells_that_would_run_as_formulas_start_with_an_apostrophe(tmp_path):
    import csv

    path = outputs.save_table(hostile_table(), tmp_path, "t")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    titles = [row[0] for row in rows[1:]]
    assert titles == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-cmd|' /C calc'!A0",
        "'@SUM(A1)",
        "'\tTAB",
        "'\rCR",
        "plain - text",
    ]


def test_negative_numbers_stay_numbers_in_the_csv(tmp_path):
    text = outputs.save_table(hostile_table(), tmp_path, "t").read_text(encoding="utf-8")
    assert text.splitlines()[1].endswith(",-3,-0.250000")


def test_a_header_that_would_run_as_a_formula_is_neutralised_too():
    text = outputs.table_csv_text(pd.DataFrame({"=1+2": ["a"], "n": [1]}))
    assert text.splitlines()[0] == "'=1+2,n"


def test_xlsx_beside_each_csv_holds_the_same_cells_as_text_and_numbers(tmp_path):
    from openpyxl import load_workbook

    outputs.save_table(hostile_table(), tmp_path, "t")
    sheet = load_workbook(tmp_path / "tables" / "t.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("title", "change", "share")
    assert rows[1] == ('\'=HYPERLINK("http://x")', -3, -0.25)
    assert [row[0] for row in rows[1:]][-1] == "plain - text"
    kinds = {
        (cell.column_letter, cell.data_type) for row in sheet.iter_rows(min_row=2) for cell in row
    }
    assert kinds == {("A", "s"), ("B", "n"), ("C", "n")}, "no cell may be stored as a formula"


def test_xlsx_is_byte_identical_across_runs(tmp_path):
    import time

    first = outputs.table_xlsx_bytes(hostile_table())
    time.sleep(1.1)  # a zip entry's time has a two-second grain; a stamp of "now" would move
    second = outputs.table_xlsx_bytes(hostile_table())
    assert first == second
    assert (
        outputs.save_table(small_table(), tmp_path / "a", "t").with_suffix(".xlsx").read_bytes()
        == outputs.save_table(small_table(), tmp_path / "b", "t").with_suffix(".xlsx").read_bytes()
    )


def test_every_export_of_a_real_build_is_safe_and_has_an_xlsx_twin(report_build) -> None:
    """All tables of the real report: CSV and .xlsx hold the same cells, none can run."""
    import csv

    from openpyxl import load_workbook

    exports = sorted(report_build.out_dir.glob("*/*/tables/*.csv"))  # <lang>/<section>/
    assert len(exports) >= 5, "the report should export its tables"
    for path in exports:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        sheet = load_workbook(path.with_suffix(".xlsx")).active
        cells = list(sheet.iter_rows())
        assert len(cells) == len(rows), f"{path.name}: the .xlsx has other rows than the CSV"
        for row in rows:
            for value in row:
                dangerous = value.startswith(outputs.FORMULA_TRIGGERS)
                assert not dangerous or _is_number(value), f"{path.name}: {value!r} could run"
        formulas = [cell.coordinate for row in cells for cell in row if cell.data_type == "f"]
        assert not formulas, f"{path.with_suffix('.xlsx').name}: formula cells {formulas}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------ the one atomic writer


def test_atomic_writer_replaces_the_file_whole_and_publishes_it_readable(tmp_path):
    target = tmp_path / "new" / "brief.pdf"
    assert outputs.write_bytes_atomically(target, b"first") == target
    outputs.write_bytes_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["brief.pdf"]


def test_atomic_writer_uses_a_fresh_temporary_name_each_time(tmp_path, monkeypatch):
    """Two writers of one target never share a temporary file (a fixed ".tmp" name did)."""
    seen: list[str] = []
    real_replace = outputs.os.replace

    def spy(source, target):
        seen.append(str(source))
        real_replace(source, target)

    monkeypatch.setattr(outputs.os, "replace", spy)
    for text in ("a", "b"):
        outputs.write_text_atomically(tmp_path / "t.csv", text)
    assert len(set(seen)) == 2
    assert all(name.startswith(str(tmp_path / ".t.csv.")) for name in seen), seen


def test_atomic_writer_flushes_to_disk_before_the_move(tmp_path, monkeypatch):
    order: list[str] = []
    real_fsync, real_replace = outputs.os.fsync, outputs.os.replace
    monkeypatch.setattr(outputs.os, "fsync", lambda fd: (order.append("fsync"), real_fsync(fd)))
    monkeypatch.setattr(
        outputs.os, "replace", lambda a, b: (order.append("replace"), real_replace(a, b))
    )
    outputs.write_bytes_atomically(tmp_path / "x", b"x")
    assert order == ["fsync", "replace"]
