"""Pages rendered through Jinja templates, in the site's interface language.

Templates hold presentation only: they receive views (``present.py``) and
take their words from the message catalogue (``_()``, ``ngettext()``),
their dates and numbers from the ``date`` and ``number`` filters.  Jinja
runs with autoescape on and ``StrictUndefined``, so a typo in a template
fails the build with the template's file and line instead of leaving a
blank in the page.
"""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2
import jinja2.bccache
import jinja2.ext
import jinja2.lexer
import jinja2.meta
import jinja2.utils
from markupsafe import Markup, escape

from .cache import Bodies
from .config import SiteConfig
from .errors import BuildFailed, ContentError
from .files import NotARegularFile, is_ignored_name, read_regular_bytes
from .fingerprint import fingerprint
from .i18n import Language
from .opendata import FILTERS as DATA_FILTERS
from .pages import Page
from .present import BodyRef, linked_data


def _is_template_name(name: str) -> bool:
    """Editors' swap and backup files and the system's own files in templates/ are not templates."""
    return not any(is_ignored_name(part) for part in name.split("/"))


def _reachable(name: str, uses: dict[str, set[str]]) -> set[str]:
    """The template and every template it uses, directly or not (cycles included: no key is cut short)."""
    seen, pending = {name}, [name]
    while pending:
        for used in uses.get(pending.pop(), ()):
            if used in uses and used not in seen:
                seen.add(used)
                pending.append(used)
    return seen


class TemplateLoader(jinja2.FileSystemLoader):
    """The templates folder, without editor and system files: what is not listed cannot be included."""

    def get_source(self, environment, template):
        if not _is_template_name(template.replace("\\", "/")):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


class ConstantWords(jinja2.ext.Extension):
    """Folds ``{{ _("Words") }}`` into the translated, escaped text when a template is compiled.

    The environment is made for one language, so a message without values
    is a constant: the header, the footer and the labels of every page then
    cost nothing to render (tens of thousands of calls a build otherwise).
    Calls with values, and ``_()`` inside larger expressions, stay calls.
    """

    def filter_stream(self, stream):
        pending: list = []
        for token in stream:
            pending.append(token)
            shape = [t.type for t in pending]
            expected = ["variable_begin", "name", "lparen", "string", "rparen", "variable_end"]
            if shape != expected[:len(shape)] or (len(shape) >= 2 and pending[1].value != "_"):
                yield from pending
                pending = []
            elif len(shape) == len(expected):
                words = escape(self.environment.panchina_translations.gettext(pending[3].value))
                yield jinja2.lexer.Token(pending[0].lineno, "data", str(words % {} if "%" in words else words))
                pending = []
        yield from pending


class CompiledHere(jinja2.BytecodeCache):
    """Templates this process has compiled already, reused while their source and language are the same.

    Compiling the templates is most of a small build's time, and the preview
    (one process, many builds) would otherwise compile every template again
    when one of them is saved.  The code is kept in memory only and never
    written: code read back from ``.cache/``, which a restored Netlify cache
    fills, could come from anyone.  The language is part of the key because
    ``ConstantWords`` folds its words into the code.
    """

    def __init__(self, language_digest: str):
        self.language_digest = language_digest

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = _COMPILED.get((self.language_digest, bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _COMPILED[(self.language_digest, bucket.key, bucket.checksum)] = bucket.code


# The least recently used go first: each template saved in a long preview session adds an entry.
_COMPILED = jinja2.utils.LRUCache(2000)  # (language, name and file, source checksum) -> code
_REFERENCED = jinja2.utils.LRUCache(2000)  # (name, source) -> the templates it uses, or {None}


class Renderer:
    """A Jinja environment bound to one site's templates, settings and language."""

    def __init__(self, templates_dir: Path, config: SiteConfig, language: Language, bodies: Bodies):
        self.templates_dir = templates_dir
        self.config = config
        self.bodies = bodies
        self.env = jinja2.Environment(
            loader=TemplateLoader(str(templates_dir.absolute())),  # absolute: error paths are never doubled
            autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n", ConstantWords],
            bytecode_cache=CompiledHere(language.digest),
        )
        self.env.panchina_translations = language.translations
        self.env.install_gettext_translations(language.translations, newstyle=True)
        # The same calls as the extension's new-style gettext (the translation trusted, the values
        # escaped), without its three context hops a call: tens of thousands of calls a build.
        self.env.globals.update(_=self.gettext, gettext=self.gettext, ngettext=self.ngettext)
        self.language = language
        self._constant_words: dict[str, Markup] = {}
        self.env.filters.update(date=language.date, number=language.number)
        # Open data (JSON and CSV from a page's records) and a story's JSON-LD, made from what the context
        # holds already, at render time: nothing more to fingerprint on every build.
        self.env.filters.update(DATA_FILTERS, linked_data=linked_data)
        self.env.globals.update(site=config, absolute=self.absolute, remembered=self.remembered)
        self._remembered: dict[tuple, Markup] = {}
        self.template_memo: dict = {}

    def template_keys(self, known: dict | None = None) -> dict[str, str]:
        """For each template, a digest of its source and of every template it uses.

        A page's key includes its template's, so editing ``timeline.html``
        re-renders timelines only, while editing ``base.html`` re-renders all.
        ``known``: the last build's ``template_memo``, reused when no template
        changed (parsing them all takes longer than a warm build's planning).
        """
        names = self.env.list_templates(filter_func=_is_template_name)
        sources = {name: self._template_source(name) for name in names}
        digest = fingerprint(jinja2.__version__, *sorted(sources.items()))
        if known and known.get("sources") == digest and set(known["keys"]) == set(names):
            self.template_memo = known
            return dict(known["keys"])
        uses: dict[str, set[str]] = {}
        for name, source in sources.items():
            found = _REFERENCED.get((name, source))
            if found is None:
                try:
                    found = frozenset(jinja2.meta.find_referenced_templates(self.env.parse(source, name, name)))
                except jinja2.TemplateSyntaxError as error:
                    raise BuildFailed([self._template_error(error.filename or name, error.lineno,
                                                            error.message)]) from None
                _REFERENCED[(name, source)] = found
            uses[name] = set(names) if None in found else set(found)  # a computed name could be any template
        keys = {name: fingerprint(name, *((used, sources[used]) for used in sorted(_reachable(name, uses))))
                for name in names}
        self.template_memo = {"sources": digest, "keys": keys}
        return dict(keys)

    def gettext(self, message: str, **values) -> Markup:
        if values:
            return Markup(self.language.translations.gettext(message)) % values
        text = self._constant_words.get(message)  # the header's and footer's words, on every page
        if text is None:
            text = self._constant_words[message] = Markup(self.language.translations.gettext(message)) % {}
        return text

    def ngettext(self, singular: str, plural: str, count: int, **values) -> Markup:
        values.setdefault("num", self.language.number(count))
        return Markup(self.language.translations.ngettext(singular, plural, count)) % values

    def remembered(self, macro: jinja2.runtime.Macro, *args, **kwargs) -> Markup:
        """``macro(*args, **kwargs)``, made once per process for the same arguments.

        A story's row is drawn on its coach's, clubs' and source's timelines
        and on the home page: the same macro with the same view.  What a
        macro shows is a function of its template (the same for the whole
        build), the language and settings (the renderer's) and its
        arguments, which must be plain data and views (``fingerprint``
        refuses anything else), so the digest of the arguments is its key.
        """
        key = (macro._func.__code__.co_filename, macro.name, fingerprint(args, kwargs))
        made = self._remembered.get(key)
        if made is None:
            made = self._remembered[key] = macro(*args, **kwargs)
        return made

    def _template_source(self, name: str) -> str:
        """A template's text; one clear line for a file that is not a template (binary, a pipe)."""
        path = self.templates_dir / name
        try:
            return read_regular_bytes(path).decode("utf-8")
        except NotARegularFile as error:
            problem, hint = f"is {error.kind}, not a file", "delete it, or replace it with the template's text"
        except UnicodeDecodeError as error:
            problem = f"is not UTF-8 text (byte offset {error.start})"
            hint = "save it as UTF-8, or move it out of the templates folder if it is not a template"
        except OSError as error:
            problem, hint = f"cannot be read ({error.strerror or error})", "check that it exists and is readable"
        raise BuildFailed([ContentError(self._shown(name), None, "template", problem, hint)]) from None

    def absolute(self, url: str) -> str:
        return self.config.base_url.rstrip("/") + url

    def render(self, page: Page) -> str:
        """Render one page (its body looked up or rendered now), any template mistake as a ContentError."""
        context = {name: Markup(self.bodies.html(value.key)) if isinstance(value, BodyRef) else value
                   for name, value in page.full_context().items()}
        try:
            return self.env.get_template(page.template).render(context)
        except jinja2.TemplateSyntaxError as error:
            raise BuildFailed([self._template_error(error.filename, error.lineno, error.message)]) from None
        except jinja2.TemplateNotFound as error:
            raise BuildFailed([ContentError(
                self._shown(page.template), None, "template", f"the template '{error.name}' does not exist",
                f"create it in {self.templates_dir.as_posix()}/ or fix the name")]) from None
        except BuildFailed:
            raise
        except Exception as error:  # noqa: BLE001 — any template runtime error, reported with its line
            filename, line = self._template_frame(error)
            raise BuildFailed([self._template_error(filename or page.template, line, str(error))]) from None

    def take_new_bodies(self) -> dict[str, str]:
        """The bodies rendered in this process since the last call, for the main process to store."""
        new, self.bodies.new = self.bodies.new, {}
        return new

    def _template_frame(self, error: Exception) -> tuple[str | None, int | None]:
        """The innermost traceback frame inside a template (Jinja maps its line numbers)."""
        root = str(self.templates_dir.resolve())
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename and str(Path(frame.filename).resolve()).startswith(root):
                return frame.filename, frame.lineno
        return None, None

    def _template_error(self, filename: str | None, line: int | None, message: str) -> ContentError:
        return ContentError(self._shown(filename or "?"), line, "template", message,
                            "fix the template; the content is fine")

    def _shown(self, filename: str) -> str:
        path = Path(filename)
        if not path.is_absolute():
            path = self.templates_dir / path
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return path.as_posix()
