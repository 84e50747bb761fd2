"""A chart as files: PNG and SVG with the same bytes on every run, written atomically.

Here rather than in ``core.outputs`` because the bytes depend on the report's matplotlib
style (``style.style_context`` fixes ``svg.hashsalt`` among others), which is the charts'
business; the writing itself is ``core.outputs.write_bytes_atomically``.
"""

from __future__ import annotations

import base64
import functools
import io
import re
from pathlib import Path
from xml.etree import ElementTree

from matplotlib.figure import Figure

from gealc_analysis.charts import style
from gealc_analysis.core import paths
from gealc_analysis.core.outputs import write_bytes_atomically
from gealc_analysis.words import markup

FIGURE_DPI = 150
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg")
# Metadata that would otherwise embed the matplotlib version banner or the build date.
FIGURE_METADATA: dict[str, dict[str, None]] = {"png": {"Software": None}, "svg": {"Date": None}}
# Ids matplotlib generates in SVG (clip paths "p…", hatches "h…", markers "m…": a letter and
# ten hex digits). A clip path's id hashes the Python object's memory address, so it changes
# from run to run; ``stable_svg_ids`` renumbers them in order of appearance.
SVG_GENERATED_ID = re.compile(rb'id="([a-z][0-9a-f]{10})"')


def stable_svg_ids(svg: bytes) -> bytes:
    """Rename matplotlib's generated SVG ids to ``<letter>000…n`` in order of appearance.

    The fixed ``svg.hashsalt`` makes most ids reproducible, but clip paths hash ``id()`` of
    a Python object; renumbering makes the bytes depend on the drawing alone.
    """
    found = list(dict.fromkeys(SVG_GENERATED_ID.findall(svg)))
    if not found:
        return svg
    renamed = {old: old[:1] + b"%010d" % number for number, old in enumerate(found, start=1)}
    pattern = re.compile(b"|".join(re.escape(old) for old in found))
    return pattern.sub(lambda match: renamed[match.group()], svg)


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """``fig`` saved as ``fmt`` (png or svg) under the report's style, reproducible bytes."""
    buffer = io.BytesIO()
    with style.style_context():  # fixes svg.hashsalt, so SVG ids are the same every run
        fig.savefig(buffer, format=fmt, dpi=FIGURE_DPI, metadata=FIGURE_METADATA[fmt])
    data = buffer.getvalue()
    return stable_svg_ids(data) if fmt == "svg" else data


def figure_files(fig: Figure) -> dict[str, bytes]:
    """``fig`` in every format of :data:`FIGURE_FORMATS` (:func:`figure_bytes`), laid out once.

    A constrained layout is solved again at every save (the costliest part of a save after
    the drawing itself). The SVG, the file the pages show, is saved first and solves it;
    the other formats are saved with that layout kept (the engine set aside meanwhile and
    given back after), so they show the same positions at their own resolution.
    """
    made = {"svg": figure_bytes(fig, "svg")}
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_layout_engine("none")
    try:
        made.update((fmt, figure_bytes(fig, fmt)) for fmt in FIGURE_FORMATS if fmt not in made)
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    return {fmt: made[fmt] for fmt in FIGURE_FORMATS}


def save_figure(fig: Figure, output_dir: Path | str, name: str) -> list[Path]:
    """Save ``fig`` as ``<output_dir>/figures/<name>.png`` and ``.svg``; return both paths."""
    return list(write_figure_files(figure_files(fig), output_dir, name))


def write_figure_files(made: dict[str, bytes], output_dir: Path | str, name: str) -> list[Path]:
    """Write :func:`figure_files`' bytes as ``<output_dir>/figures/<name>.<format>``."""
    folder = Path(output_dir) / paths.FIGURES_DIR
    return [write_bytes_atomically(folder / f"{name}.{fmt}", data) for fmt, data in made.items()]


# --- inline SVG -----------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# What a chart's SVG is made of once inlined (``inline_svg``): exactly what the page's
# sanitiser keeps (``words.markup``, the one allowlist), so a chart needs no exception.
SVG_ELEMENTS: frozenset[str] = markup.SVG_TAGS
SVG_ATTRIBUTES: frozenset[str] = markup.SVG_ATTRIBUTES | frozenset(
    {"class", "id", "role", "aria-label"}  # allowed on every element (markup's "*")
)
_DROPPED_SVG_ELEMENTS = ("metadata", "style")
_URL_REF = re.compile(r"url\(#([^)]+)\)")


def inline_svg(svg: bytes, *, alt: str, prefix: str, css_class: str) -> str:
    """A saved chart SVG as markup to put inside an HTML page.

    The ``<svg>`` keeps its size in points as CSS pixels (1 pt of the chart = 1 CSS px), gets
    ``role="img"``, the alt text as ``aria-label`` and ``<title>``, and ``css_class``. Every
    ``style`` attribute becomes presentation attributes and the stylesheet matplotlib writes
    is folded into the root (a page's CSS stays the page's); ids are renamed ``<prefix>-<n>``
    (several charts, and two layouts of each, share one page) and ids nothing refers to are
    dropped. What remains is only ``SVG_ELEMENTS`` with ``SVG_ATTRIBUTES``, written compactly
    (coordinates to 1/10 pt, no empty groups, the font named once): pages stay light.
    """
    root = ElementTree.fromstring(svg)
    referenced = list(dict.fromkeys(re.findall(r'(?:url\(#|href="#)([^)"]+)', svg.decode())))
    ids = {old: f"{prefix}-{n}" for n, old in enumerate(referenced, start=1)}
    _drop_and_unwrap(root)
    for element in root.iter():
        if _local(element.tag) != "text" and element.text and not element.text.strip():
            element.text = None
        element.tail = None
        _inline_style(element)
        ref = element.attrib.pop(XLINK_HREF, None)
        if ref is not None and ref.removeprefix("#") in ids:
            element.set("href", f"#{ids[ref.removeprefix('#')]}")
        element_id = element.attrib.pop("id", None)
        if element_id in ids:
            element.set("id", ids[element_id])
        for name in _GEOMETRY & element.attrib.keys():
            element.set(name, _short_numbers(element.attrib[name]))
        if _NO_ROTATION.fullmatch(element.get("transform", "")):
            del element.attrib["transform"]
        if element.get("font-family") == _FONT_FAMILY:
            del element.attrib["font-family"]
        for name in ("clip-path", "fill", "stroke"):
            value = element.get(name)
            if value and "url(" in value:
                element.set(name, _URL_REF.sub(lambda m: f"url(#{ids[m.group(1)]})", value))
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    for name in ("version", "width", "height"):
        root.attrib.pop(name, None)
    root.set("width", f"{width:g}")
    root.set("height", f"{height:g}")
    root.set("class", css_class)
    root.set("role", "img")
    root.set("aria-label", alt)
    root.set("font-family", _FONT_FAMILY)
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    title = ElementTree.Element(f"{{{SVG_NS}}}title")
    title.text = alt
    root.insert(0, title)
    return ElementTree.tostring(root, encoding="unicode")


_GEOMETRY = frozenset({"d", "x", "y", "transform"})
_LONG_DECIMAL = re.compile(r"(\d\.\d)\d+")
_NO_ROTATION = re.compile(r"rotate\(-?0 [-\d.]+ [-\d.]+\)")
_FONT_FAMILY = f"'{style.FONT_FAMILY}', sans-serif"


def _short_numbers(value: str) -> str:
    """Coordinates to 1/10 pt (a tenth of a CSS px on the page) and single spaces: the page
    carries half the characters and draws the same picture."""
    return " ".join(_LONG_DECIMAL.sub(r"\1", value).split())


def _drop_and_unwrap(parent: ElementTree.Element) -> None:
    """Remove matplotlib's metadata and stylesheet and replace every group that carries no
    attribute but its id by its children (matplotlib wraps each artist in one)."""
    children: list[ElementTree.Element] = []
    for child in list(parent):
        tag = _local(child.tag)
        if tag in _DROPPED_SVG_ELEMENTS:
            continue
        _drop_and_unwrap(child)
        if tag == "g" and set(child.attrib) <= {"id"}:
            children.extend(child)
        elif tag == "defs" and not len(child):
            continue
        else:
            children.append(child)
    parent[:] = children


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _inline_style(element: ElementTree.Element) -> None:
    """``style="fill: #fff; stroke: none"`` as ``fill="#fff" stroke="none"``."""
    style_text = element.attrib.pop("style", None)
    if not style_text:
        return
    for declaration in style_text.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in SVG_ATTRIBUTES and value:
            element.set(name, value)


ElementTree.register_namespace("", SVG_NS)
ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")


# --- the shipped font -------------------------------------------------------------------------

# The chart font as the report ships it: matplotlib's DejaVu Sans (the font the charts are
# measured in), cut to the characters of the report and declared by ``font_face_css`` in the
# report's stylesheet as data URLs, so a page opened from disk (file://, where browsers refuse
# font files) or offline draws chart text in the font it was laid out in. Nothing downloads.
FONT_FILES: dict[str, str] = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
# Latin, Latin-1 (Spanish), Latin Extended-A, general punctuation, arrows, minus and ≤ ≥.
FONT_UNICODES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x2000, 0x206F),
    (0x2190, 0x21FF),
    (0x2212, 0x2212),
    (0x2264, 0x2265),
)


def font_bytes(ttf_name: str) -> bytes:
    """matplotlib's DejaVu font ``ttf_name`` cut to ``FONT_UNICODES``, unhinted, as WOFF."""
    from fontTools import subset
    from matplotlib import get_data_path

    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.drop_tables += ["FFTM"]
    font = subset.load_font(str(Path(get_data_path()) / "fonts" / "ttf" / ttf_name), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in FONT_UNICODES for c in range(low, high + 1)])
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


@functools.cache
def font_face_css() -> str:
    """@font-face rules of the chart font (``style.FONT_FAMILY``), normal and bold, as data
    URLs: the stylesheet carries the font, so it loads wherever the page does. Made once per
    process: cutting the fonts costs about a second and a half, and its result never changes."""
    rules = []
    for weight, ttf in FONT_FILES.items():
        data = base64.b64encode(font_bytes(ttf)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{style.FONT_FAMILY}"; font-style: normal; '
            f"font-weight: {weight}; font-display: block; "
            f'src: url("data:font/woff;base64,{data}") format("woff"); }}\n'
        )
    return "".join(rules)
