"""HTML of the report, made in one place: the Jinja environment of every page, the one
Markdown renderer and the one HTML sanitiser.

Why libraries and one of each:

- **Jinja, autoescape on** renders every page (index, sections, documents, landing page and
  the explorer), so a string from the data is escaped unless it was made safe here. Data a
  page's script reads goes in with ``|tojson`` (Jinja's HTML-safe JSON), never by hand.
- **mistune** renders Markdown (narrative, findings, the shipped codebook) with raw HTML
  escaped; headings get ids (``#title-of-the-heading``) so in-page links work.
- **nh3** (the Ammonia sanitiser) is the pages' guarantee: every HTML fragment a page
  includes (rendered Markdown, a notebook's outputs) keeps only the elements, attributes and
  URL schemes listed below; everything else (scripts, event handlers, styles,
  ``javascript:`` or ``data:`` links) is removed, whatever the text it came from. An
  allowlist, so markup nobody thought of is dropped rather than let through. A page
  references nothing outside the report folder: no image loads from another host (a
  tracking pixel, a broken offline page) and no link leaves it (the project's own prose and
  documents have none to keep).
- **Data text is text.** Markdown is for the prose the project writes. A value from the data
  (a theme label, a title, a funding label) enters a Markdown sentence through
  :func:`markdown_text`, which escapes every character Markdown could read as syntax, so
  ``[x](http://…)``, ``![](…)``, ``<http://…>``, ``*emphasis*`` or HTML in a label is shown
  as typed. The brief reads the same sentences through :func:`inline_parts`.

Both the notebooks (``notebook.section``) and the build (``build.pages``) import this module,
which is why it lives in the words layer, below both.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import mistune
import nh3
from markupsafe import Markup
from mistune.toc import add_toc_hook

from gealc_analysis.words import i18n

TEMPLATES_DIR: Path = Path(__file__).resolve().parent.parent / "templates"

# The one data URL a page keeps: a raster image a notebook inlined (a figure that has no
# saved file); an SVG or an HTML document in a data URL can run script, so it is removed.
INLINE_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*", re.I)
# What a report page's fragments are made of: Markdown's output, nbconvert's ``basic``
# template (cells as divs with classes, headings with ids and anchor links, highlighted
# code as spans), the reader tables and the figures.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd",
        "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "q", "s", "samp",
        "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "u", "ul", "var",
    }
)  # fmt: skip
# Inline SVG as the charts write it (``charts.files.inline_svg``): shapes, text and the
# definitions they use (clip paths, hatch patterns, markers). No script, style, animation,
# foreignObject or image; a reference (href, url()) may only point inside the page (#id).
SVG_TAGS: frozenset[str] = frozenset(
    {"svg", "g", "defs", "clipPath", "pattern", "path", "rect", "use", "text", "title"}
)
SVG_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "viewBox", "width", "height", "x", "y", "d", "transform", "href", "patternUnits",
        "clip-path", "fill", "fill-opacity", "fill-rule", "opacity", "stroke", "stroke-width",
        "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
        "stroke-dashoffset", "stroke-opacity", "font-size", "font-family", "font-weight",
        "font-style", "text-anchor", "dominant-baseline", "aria-hidden",
    }
)  # fmt: skip
_LOCAL_REFERENCE = re.compile(r"#[\w.-]+")
_URL = re.compile(r"url\(([^)]*)\)")
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "lang", "title", "dir", "aria-label", "aria-labelledby", "role"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    # data-label: the column's header, shown by the stylesheet when a phone stacks the table
    "td": {"colspan", "rowspan", "data-label"},
    "ol": {"start"},
    "div": {"data-mime-type"},
} | {tag: set(SVG_ATTRIBUTES) for tag in SVG_TAGS}
# Removed with everything inside them (the text of a script is not content).
DROPPED_WITH_CONTENT: frozenset[str] = frozenset({"script", "style", "template", "noscript"})
NO_BREAK_SPACE = "\u00a0"
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f]")
# Characters Markdown (CommonMark and mistune's table and strikethrough plugins) can read as
# syntax anywhere in a line (links and images need "[", autolinks and HTML "<", entities "&"):
# each is escaped with a backslash in a data value.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>&~|])")
# ... and at the start of a line, where a value may open a list item's text: a heading, a
# list marker ("-", "+", "1." or "1)"), a quote or a setext underline.
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#+=>-]|\d+(?=[.)]))")
# Line breaks and tabs in a data value would start a new block (a heading, a list, code).
_BLOCK_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029\x85]+")


# --------------------------------------------------------------------------- Jinja


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja environment of the report's pages: autoescape on for every template.

    ``|tojson`` writes HTML-safe JSON (``<``, ``>``, ``&`` and ``'`` as ``\\u…``), keys
    sorted and non-ASCII text kept as is.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.globals["label"] = i18n.label
    return env


def render(template: str, **context: object) -> str:
    """Render one of the report's templates with ``context`` (autoescaped)."""
    return environment().get_template(template).render(**context)


# --------------------------------------------------------------------------- sanitising


def is_local_url(value: str) -> bool:
    """Whether a URL stays inside the report: relative, with no scheme and no host (not
    ``//host/…``, not an absolute path ``/…``, not a backslash form a browser reads as one)."""
    url = _CONTROL_AND_SPACE.sub("", value).replace("\\", "/")
    if url.startswith("/"):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" where a host would be
        return False
    return not parts.scheme and not parts.netloc


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """Ammonia checks URL schemes; this refuses the data URLs it would let through, any
    SVG reference that leaves the page (``href`` and ``url()`` only as ``#id``), and any
    URL that leaves the report folder."""
    if element in SVG_TAGS:
        if attribute == "href":
            return value if _LOCAL_REFERENCE.fullmatch(value) else None
        targets = _URL.findall(value)
        if targets and not all(_LOCAL_REFERENCE.fullmatch(t.strip()) for t in targets):
            return None
        if "url(" in value.replace(" ", "").lower() and not targets:
            return None
        return value
    if attribute not in ("href", "src"):
        return value
    if _CONTROL_AND_SPACE.sub("", value).lower().startswith("data:"):
        inline_image = element == "img" and attribute == "src" and INLINE_IMAGE.fullmatch(value)
        return value if inline_image else None
    return value if is_local_url(value) else None


@functools.cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS | SVG_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        # no scheme leaves the report: relative URLs only, and data: as _keep_attribute allows
        url_schemes={"data"},
        link_rel=None,
        strip_comments=True,
    )


def sanitize(fragment: str) -> Markup:
    """``fragment`` with nothing left that could run in a reader's browser or reach outside
    the report folder, marked safe.

    Only :data:`ALLOWED_TAGS` with :data:`ALLOWED_ATTRIBUTES` are kept (text of any other
    element stays, as text); links and images keep relative URLs (and images inlined raster
    data) only, so opening a page loads nothing from another host and links nowhere else.
    """
    # The serialiser writes U+00A0 as "&nbsp;"; the character goes back as the data has it
    # (Spanish "46,4 %" keeps its non-breaking space as text, not as an entity).
    return Markup(_cleaner().clean(fragment).replace("&nbsp;", NO_BREAK_SPACE))


# --------------------------------------------------------------------------- Markdown


@functools.cache
def _markdown() -> mistune.Markdown:
    # Every URL is left to the sanitiser (one policy), so mistune lets them all through.
    renderer = mistune.HTMLRenderer(escape=True, allow_harmful_protocols=True)
    markdown = mistune.create_markdown(renderer=renderer, plugins=["table", "strikethrough"])
    add_toc_hook(markdown, min_level=1, max_level=6, heading_id=_heading_id)
    return markdown


def _heading_id(token: dict, index: int) -> str:
    """A heading's anchor as GitHub writes it, so links written for the Markdown file work on
    the page too: lower case, punctuation dropped, each space a hyphen."""
    slug = re.sub(r"[^\w\- ]", "", str(token.get("text", "")).lower()).replace(" ", "-")
    return slug or f"section-{index + 1}"


def markdown_text(value: object) -> str:
    """A value from the data as Markdown that reads as exactly that text.

    Every character Markdown could take as syntax is backslash-escaped (links, images,
    autolinks, emphasis, code, raw HTML, entities, tables, headings and list markers), and
    line breaks become spaces, so the value can never open a block of its own. Sentences
    built in ``words`` pass every data value through here before it is substituted.
    """
    text = _MARKDOWN_INLINE.sub(r"\\\1", _BLOCK_BREAKS.sub(" ", str(value)))
    return _MARKDOWN_LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    spaces, opener = match.group(1), match.group(2)
    if opener.isdigit():  # "1." stays a number; its "." or ")" is what opens a list
        return f"{spaces}{opener}\\"
    return f"{spaces}\\{opener}"


def markdown_html(text: str) -> Markup:
    """Markdown the project writes (data values in it escaped by :func:`markdown_text`) as
    HTML a page may include as is.

    Raw HTML in the text is escaped (shown, never run), headings get ids, and the result goes
    through :func:`sanitize`, so only safe links and images inside the report remain.
    """
    if type(text) is str:  # a str subclass (Markup) may render differently: not kept
        return _kept_markdown_html(text)
    return _markdown_html(text)


def _markdown_html(text: str) -> Markup:
    return sanitize(str(_markdown()(text)).strip())


# A build renders the same Markdown more than once per process (the codebooks of every data
# copy, a finding on the index and in the brief) and a test process builds many times; the
# codebook alone costs ~25 ms a rendering. The HTML is a function of the text alone (the
# renderer and the sanitiser's allowlist are fixed) and immutable, so the latest are kept.
_kept_markdown_html = functools.lru_cache(maxsize=256)(_markdown_html)


def markdown_inline_html(text: str) -> Markup:
    """:func:`markdown_html` without the wrapping paragraph, for one-line findings."""
    html = str(markdown_html(text))
    match = re.fullmatch(r"<p>(.*)</p>", html, flags=re.DOTALL)
    return Markup(match.group(1) if match else html)


@functools.cache
def _markdown_ast() -> mistune.Markdown:
    return mistune.create_markdown(renderer=None, plugins=["strikethrough"])


def inline_parts(text: str) -> list[tuple[str, bool]]:
    """One sentence of Markdown as (text, strong) runs, for a medium that is not HTML (the
    brief): the sentence is parsed as the pages parse it, so an escaped data value comes out
    as the text it was, and everything but ``**strong**`` is kept as its plain text."""
    runs: list[tuple[str, bool]] = []

    def walk(tokens: list[dict], strong: bool) -> None:
        for token in tokens:
            kind = token.get("type")
            if "children" in token:
                walk(token["children"], strong or kind == "strong")
            elif kind in ("softbreak", "linebreak"):
                runs.append((" ", strong))
            elif "raw" in token:
                runs.append((str(token["raw"]), strong))

    walk(_markdown_ast()(text), strong=False)
    merged: list[tuple[str, bool]] = []
    for piece, strong in runs:
        if merged and merged[-1][1] == strong:
            merged[-1] = (merged[-1][0] + piece, strong)
        else:
            merged.append((piece, strong))
    return merged
