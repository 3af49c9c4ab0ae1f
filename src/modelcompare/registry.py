"""The registry: models, sources and accelerators, looked up by any name.

:func:`load_registry` reads the built-in data once, lazily, and merges any
files a user adds. Lookups are forgiving (case, spaces and punctuation do
not matter): ``reg["mai 1 preview"]`` is ``reg["MAI-1-preview"]``.
"""

from __future__ import annotations

import difflib
import functools
import os
import pickle
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib.resources import files as _resource_files
from os import PathLike
from pathlib import Path

from . import derived, regcache
from .collector import collector_paused
from .deferred import LazySources
from .derived import Precision
from .errors import (
    AmbiguousModelError,
    DataFileError,
    DataFileWarning,
    NoValueError,
    UnitError,
    UnknownFieldError,
    UnknownModelError,
)
from .estimate import Estimate
from .fields import FieldKind, get_field
from .loader import Built, FileData, LazyModel, _with, build, normalize
from .model import Model, ModelSummary
from .readers import read_file
from .reconcile import Conflict, Discrepancy, conflicts, discrepancies
from .records import Accelerator, Citation, Claim, Source
from .units import _define_checked, units_label
from .validation import Problem

__all__ = [
    "Notice",
    "Problem",
    "Registry",
    "accelerators_to_hold",
    "builtin_files",
    "chinchilla_ratio",
    "load_registry",
    "ratio",
    "training_time",
    "validate_files",
    "weights_memory",
]


def _package_dir() -> Path:
    return Path(str(_resource_files("modelcompare")))


def builtin_files() -> list[Path]:
    """The built-in data files: the seed index and ``modelcompare/data/*.toml``."""
    return list(_builtin_files())


@functools.cache  # (the package's files, read once and cached too: see _parse_cached)
def _builtin_files() -> tuple[Path, ...]:
    pkg = _package_dir()
    seeds = pkg / "seeds" / "index.toml"  # in a wheel, seeds/ is copied into the package
    if not seeds.is_file():
        seeds = pkg.parent.parent / "seeds" / "index.toml"  # a source checkout
    data = sorted((pkg / "data").glob("*.toml"))
    return (seeds, *data) if seeds.is_file() else tuple(data)


@functools.cache
def _builtin_real() -> dict[str, Path]:
    """The built-in data files by their real paths."""
    return {os.path.realpath(p): p for p in _builtin_files()}


@dataclass(frozen=True, slots=True)
class Notice:
    """A date or a note that does not rest on its record's own sources alone
    (:meth:`Registry.outside_knowledge`): not a problem, but a reader should know."""

    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.record}: field {self.field!r}: {self.message}"


def _quoted(cites: Iterable[Citation]) -> str:
    """``[semafor-2025-08-28] «…»; …``: the outside citations, as a notice names them."""
    return "; ".join(f"[{c.source.id}] «{' '.join(c.quote.split())}»" for c in cites)


def _date_notice(
    record: str, key: str, date: object, basis: str | None, outside: tuple[Citation, ...]
) -> Notice | None:
    """What to say of one record's date, if anything."""
    if date is None:
        return None
    if basis is None:
        return Notice(
            record,
            key,
            f"{date} has no {key}_basis: say whether a source states it or it is inferred",
        )
    if basis != "inferred":
        return None
    if outside:
        return Notice(record, key, f"{date} is inferred from outside knowledge: {_quoted(outside)}")
    return Notice(
        record, key, f"{date} is inferred, with no outside source quoted (see {key}_note)"
    )


def _name_index(
    models: Sequence[Model | LazyModel],
) -> tuple[dict[str, int], dict[str, tuple[int, ...]]]:
    """Each label's key (:func:`normalize` of every id, name and alias) → the first
    model with it, and the keys several models share (a data file holding two of
    one name, or names that differ only in case) → all of them, in order."""
    index: dict[str, int] = {}
    shared: dict[str, list[int]] = {}
    first_of = index.setdefault
    for i, m in enumerate(models):
        if type(m) is LazyModel:  # (its keys kept: an export's thousands of rows)
            key = m.id_key
            if first_of(key, i) != i:
                _share(shared, key, index[key], i)
            key = m.name_key
            if key != m.id_key and first_of(key, i) != i:
                _share(shared, key, index[key], i)
            continue
        for key in [normalize(label) for label in (m.id, m.name, *m.aliases)]:
            if first_of(key, i) != i:
                _share(shared, key, index[key], i)
    return index, {k: tuple(v) for k, v in shared.items()}


def _share(shared: dict[str, list[int]], key: str, first: int, i: int) -> None:
    group = shared.setdefault(key, [first])
    if group[-1] != i:
        group.append(i)


class Registry:
    """Models, their sources and the hardware catalog.

    >>> import modelcompare as mc
    >>> reg = mc.load_registry()
    >>> reg["mai 1 preview"].name
    'MAI-1-preview'
    >>> reg.get("nope") is None
    True
    """

    def __init__(
        self,
        models: Iterable[Model],
        sources: Mapping[str, Source],
        accelerators: Iterable[Accelerator] = (),
        files: Sequence[Path] = (),
    ) -> None:
        self._transient()
        derive = self._derive
        everything = tuple(
            _with(m, derive=derive) if type(m) is Model else replace(m, derive=derive)
            for m in models
        )
        self._setup(everything, sources, accelerators, files)

    @classmethod
    def _of_built(cls, built: Built) -> Registry:
        """``Registry(built.models, built.sources, built.accelerators, built.files)``
        for what :func:`~modelcompare.loader.build` has just made: its models, copies
        the merge made and nothing else holds, take the registry's ``derive`` as they
        are (a registry made of other models copies them)."""
        reg = cls.__new__(cls)
        reg._transient()
        derive = reg._derive
        for m in built.models:
            if type(m) is Model:
                object.__setattr__(m, "derive", derive)
        reg._setup(tuple(built.models), built.sources, built.accelerators, built.files)
        return reg

    def _setup(
        self,
        everything: tuple[Model | LazyModel, ...],
        sources: Mapping[str, Source],
        accelerators: Iterable[Accelerator],
        files: Sequence[Path],
    ) -> None:
        self._store: list[Model | None] = [m if type(m) is Model else None for m in everything]
        self._later: dict[int, LazyModel] = {
            i: m for i, m in enumerate(everything) if type(m) is LazyModel
        }
        """The models still to make (a dataset's rows), by place: see LazyModel."""
        self._all: tuple[Model, ...] | None = (
            None if self._later else tuple(m for m in self._store if m is not None)
        )
        self._blobs: Sequence[bytes] = ()
        """Each model pickled, where a cached registry decodes its models on first use
        (and, after them, the models' summaries)."""
        self._summaries: tuple[ModelSummary, ...] | None = None
        self._index, self._ambiguous = _name_index(everything)
        self.sources: Mapping[str, Source] = (
            sources if type(sources) is LazySources else dict(sources)
        )
        """Every source, by id."""
        self.accelerators: tuple[Accelerator, ...] = tuple(accelerators)
        """The hardware catalog."""
        self.files: tuple[Path, ...] = tuple(files)
        """The data files this registry was read from."""

    def _transient(self) -> None:
        self._derived_cache: dict[tuple[str, str], tuple[Claim, ...]] = {}
        self._deriving: set[tuple[str, str]] = set()
        self._derive_lock = threading.RLock()
        self._chips: tuple[dict[str, Accelerator], dict[str, Accelerator]] | None = None

    def __getstate__(self) -> dict[str, object]:
        """What a pickle keeps: the records, not the lock nor the derived figures
        (derived again on demand)."""
        state = dict(self.__dict__)
        transients = (
            "_derived_cache",
            "_deriving",
            "_derive_lock",
            "_blobs",
            "_summaries",
            "_chips",
        )
        for transient in transients:
            del state[transient]
        state["_store"] = list(self._models)
        state["_all"] = None
        state["_later"] = {}
        state["sources"] = dict(self.sources)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._transient()
        self._blobs = ()
        self._summaries = None

    # -- the compiled form the registry cache keeps ---------------------------------------
    def _compiled(self) -> tuple[bytes, list[bytes]]:
        """The registry as :mod:`~modelcompare.regcache` keeps it: its sources,
        catalog and name index in one pickle, each model in a pickle of its
        own, which a registry read back decodes only when the model is asked for
        (a command on two models of thirty thousand decodes two), and last the
        models' summaries (so that ``list`` of thirty thousand decodes none)."""
        shared: dict[int, tuple[str, ...]] = {id(self): ("registry",)}
        shared.update({id(s): ("source", k) for k, s in self.sources.items()})
        head = regcache.dumps(
            (dict(self.sources), self.accelerators, self.files, self._index, self._ambiguous)
        )
        models = [regcache.dumps(m, shared) for m in self._models]
        return head, [*models, regcache.dumps(self.summaries())]

    @classmethod
    def _from_compiled(cls, head: bytes, blobs: Sequence[bytes]) -> Registry:
        """The registry :meth:`_compiled` gave, its models still pickled."""
        sources, accelerators, files, index, ambiguous = regcache.loads(head)
        reg = cls.__new__(cls)
        reg._transient()
        reg.sources, reg.accelerators, reg.files = sources, accelerators, files
        reg._index, reg._ambiguous = index, ambiguous
        if not blobs:
            raise ValueError("a compiled registry ends with its models' summaries")
        reg._blobs = blobs
        reg._later = {}
        reg._store = [None] * (len(blobs) - 1)
        reg._all = None
        reg._summaries = None
        return reg

    def _model(self, i: int) -> Model:
        """The ``i``-th model, decoded from the cache on first use (under the lock,
        so every thread gets the same object)."""
        m = self._store[i]
        if m is None:
            with self._derive_lock:
                m = self._store[i]
                if m is None:
                    waiting = self._later.get(i)
                    if waiting is not None:  # a dataset row's, made on first use
                        m = waiting.make()
                        object.__setattr__(m, "derive", self._derive)
                    else:
                        m = regcache.loads(self._blobs[i], self._shared)
                    self._store[i] = m
                    self._later.pop(i, None)
        return m

    def _shared(self, key: tuple[str, ...]) -> object:
        return self if key == ("registry",) else self.sources[key[1]]

    def summaries(self) -> tuple[ModelSummary, ...]:
        """Each model's own facts without its claims (:meth:`Model.summary`), in
        the registry's order: what ``modelcompare list`` shows. A registry read
        from the cache gives them without decoding its models.

        >>> import modelcompare as mc
        >>> mc.load_registry().summaries()[0].name
        'MAI-1'
        """
        found = self._summaries
        if found is None:
            if self._blobs:
                found = regcache.loads(self._blobs[len(self._store)])  # checked by digest
            else:
                found = tuple(m.summary() for m in self._models)
            self._summaries = found
        return found

    @property
    def _models(self) -> tuple[Model, ...]:
        everything = self._all
        if everything is None:
            with collector_paused():
                everything = tuple(self._model(i) for i in range(len(self._store)))
            self._all = everything
        return everything

    # -- lookup ---------------------------------------------------------------------------
    def get(self, name: str | Model, default: Model | None = None) -> Model | None:
        """The model with this id, name or alias, or ``default``."""
        if isinstance(name, Model):
            return name
        if not isinstance(name, str):
            return default
        key = normalize(name)
        i = self._index.get(key)
        if i is None:
            return default
        group = self._ambiguous.get(key)
        return self._model(i if group is None else self._pick(name, group))

    def _pick(self, name: str, group: tuple[int, ...]) -> int:
        """Of the models whose labels share ``name``'s key, the one with a label
        exactly ``name`` (stripped); :class:`AmbiguousModelError` if none or several."""
        wanted = name.strip()
        models = [self._model(i) for i in group]
        exact = [
            i for i, m in zip(group, models, strict=True) if wanted in (m.id, m.name, *m.aliases)
        ]
        if len(exact) == 1:
            return exact[0]
        raise AmbiguousModelError(name, [(m.id, m.name, m.organization) for m in models])

    def __getitem__(self, name: str | Model) -> Model:
        """The model with this id, name or alias; :class:`UnknownModelError`
        (a :class:`KeyError`) with suggestions if none."""
        found = self.get(name)
        if found is None:
            raise UnknownModelError(str(name), self.suggest(str(name)))
        return found

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Model names close to ``name``: first those that begin with it, as
        lookups compare names (``ERNIE 4.5`` for ``ERNIE 4.5 (文心大模型4.5)``),
        shortest first, then those spelled alike."""
        key = normalize(name)
        starting = (
            sorted((k for k in self._index if k.startswith(key)), key=len) if len(key) >= 3 else []
        )
        close = difflib.get_close_matches(key, list(self._index), n=n * 2, cutoff=0.6)
        keys = [*starting[: n * 2], *close]
        out: list[str] = []
        for k in keys:
            label = self._model(self._index[k]).name
            if label not in out:
                out.append(label)
        return out[:n]

    def __contains__(self, name: object) -> bool:
        if isinstance(name, Model):
            return True
        return isinstance(name, str) and normalize(name) in self._index

    def __iter__(self) -> Iterator[Model]:
        return iter(self._models)

    def __len__(self) -> int:
        return len(self._store)

    def __repr__(self) -> str:
        return (
            f"<Registry: {len(self)} models, {len(self.sources)} sources, "
            f"{len(self.accelerators)} accelerators>"
        )

    def source(self, source_id: str) -> Source:
        """The source with this id; :class:`UnknownFieldError` with suggestions if none."""
        try:
            return self.sources[source_id]
        except KeyError:
            close = difflib.get_close_matches(source_id, list(self.sources), n=3)
            raise UnknownFieldError(source_id, close, kind="source") from None

    def accelerator(self, name: str) -> Accelerator:
        """The catalog entry for an id (``h100-sxm``) or a unit (``H100``: its default variant)."""
        by_name, by_unit = self._chip_index()
        key = normalize(name)
        found = by_name.get(key) or by_unit.get(key)
        if found is not None:
            return found
        choices = [a.id for a in self.accelerators] + sorted({a.unit for a in self.accelerators})
        close = difflib.get_close_matches(name, choices, n=3, cutoff=0.5)
        raise UnknownFieldError(name, close, kind="accelerator")

    def _chip_index(self) -> tuple[dict[str, Accelerator], dict[str, Accelerator]]:
        """The catalog by normalised id and name (the first entry in order that has
        it), and by unit (its default variant, else its first); made on first use."""
        index = self._chips
        if index is None:
            by_name: dict[str, Accelerator] = {}
            units: dict[str, list[Accelerator]] = {}
            for a in self.accelerators:
                by_name.setdefault(normalize(a.id), a)
                by_name.setdefault(normalize(a.name), a)
                units.setdefault(normalize(a.unit), []).append(a)
            by_unit = {k: next((a for a in v if a.default), v[0]) for k, v in units.items()}
            index = self._chips = (by_name, by_unit)
        return index

    # -- choosing ------------------------------------------------------------------------
    def select(
        self,
        *,
        organization: str | Iterable[str] | None = None,
        family: str | Iterable[str] | None = None,
        modality: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
        has: str | Iterable[str] | None = None,
        where: Callable[[Model], bool] | None = None,
        sort: str | None = None,
        descending: bool = False,
        limit: int | None = None,
        among: Iterable[str | Model] | None = None,
    ) -> tuple[Model, ...]:
        """The models that pass every filter given, in registry order (or sorted
        by the field ``sort``: by nominal figure, ties in order, missing values
        last), at most ``limit`` of them; ``among`` starts from these models
        instead of all. See :mod:`modelcompare.selection` for the rules.

        >>> import modelcompare as mc
        >>> reg = mc.load_registry()
        >>> [m.name for m in reg.select(organization="xAI")]
        ['Grok']
        >>> top = reg.select(family="Phi", sort="parameters", descending=True, limit=3)
        >>> [(m.name, str(m.value("parameters"))) for m in top]  # a range by its midpoint
        [('Phi-3-medium', '14 B parameters'), ('Phi-3', '3.8–14 B parameters'), \
('Phi-3-small', '7 B parameters')]
        """
        from .selection import select

        pool = self._models if among is None else tuple(self[m] for m in among)
        return select(
            pool,
            organization=organization,
            family=family,
            modality=modality,
            status=status,
            has=has,
            where=where,
            sort=sort,
            descending=descending,
            limit=limit,
        )

    def search(self, text: str) -> tuple[Model, ...]:
        """The models whose name, alias, organization or note contain ``text``,
        best matches first (see :func:`modelcompare.selection.search`).

        >>> import modelcompare as mc
        >>> [m.name for m in mc.load_registry().search("voice")]
        ['MAI-Voice-1']
        """
        from .selection import search

        if self._all is not None:
            return search(self._models, text)
        # read from the cache: search the summaries, decode only the models found
        summaries = self.summaries()
        at = {id(s): i for i, s in enumerate(summaries)}
        return tuple(self._model(at[id(s)]) for s in search(summaries, text))

    # -- claims -------------------------------------------------------------------------
    def claims(self, field: str | None = None) -> Iterator[Claim]:
        """Every claim of every model (about ``field``, if given)."""
        for m in self._models:
            yield from m.claims(field)

    def conflicts(self) -> tuple[Conflict, ...]:
        """The claims that contradict each other, with the pairs that do."""
        with collector_paused():  # the derived claims it makes last (see collector_paused)
            return conflicts(self._models)

    def discrepancies(self) -> tuple[Discrepancy, ...]:
        """Where modelcompare's derivation and a stated figure disagree beyond
        both bounds (their intervals do not meet), each with both claims:
        ``training_power`` derived from the chips' TDP against Epoch AI's stated
        power draw, ``training_time_at_peak`` (a lower bound) against a stated duration …"""
        with collector_paused():
            return discrepancies(self._models)

    def _derive(self, model: Model, field: str) -> tuple[Claim, ...]:
        """The derived claims of ``model`` on ``field``, computed once.

        Thread-safe: a result is computed under the registry's lock and published
        only when complete, so a thread never sees a half-derived field. The lock
        is re-entrant because a derivation asks for other derived fields; a field
        that (through others) asks for itself gets nothing from that inner call.
        """
        key = (model.id, field)
        found = self._derived_cache.get(key)
        if found is not None:
            return found
        with self._derive_lock:
            found = self._derived_cache.get(key)
            if found is not None:
                return found
            if key in self._deriving:  # only this thread can be deriving: it holds the lock
                return ()
            self._deriving.add(key)
            try:
                result = derived.derive(self, model, field)
            finally:  # an error is not "nothing derived": a later call retries
                self._deriving.discard(key)
            self._derived_cache[key] = result
            return result

    def ratio(self, a: str | Model, b: str | Model, field: str) -> Estimate:
        """``a``'s value of ``field`` over ``b``'s, bounded honestly.

        A model over itself is exactly 1. A quantity field is needed
        (:class:`NoValueError` otherwise, or where a model has no figure); counts
        of different chips raise :class:`UnitError`. For accelerator counts the
        ratio is of the counted kind of chip (see :meth:`Model.value`): where a
        model also names another kind with no count, that kind is not compared.
        """
        spec = get_field(field)
        ma, mb = self[a], self[b]
        if spec.kind is not FieldKind.QUANTITY:
            raise NoValueError(ma.name, spec.name, f"can take no ratio of {spec.kind.value} field")
        va, vb = ma.value(spec.name), mb.value(spec.name)
        for m, v in ((ma, va), (mb, vb)):
            if not isinstance(v, Estimate) or not v.is_known:
                raise NoValueError(m.name, spec.name)
        assert isinstance(va, Estimate)
        assert isinstance(vb, Estimate)
        if ma.id == mb.id:
            return Estimate.exact(1)
        if va.dimensionality != vb.dimensionality:
            hint = ""
            if spec.name == "training_accelerators":
                hint = "; compare 'training_h100_equivalents' instead"
            raise UnitError(
                f"cannot take the ratio of {ma.name}'s {units_label(va.units)} to {mb.name}'s "
                f"{units_label(vb.units)}: they count different things{hint}"
            )
        return va / vb

    # -- checking ---------------------------------------------------------------------
    def outside_knowledge(self) -> list[Notice]:
        """The dates and notes that rest on more than their record's own sources:
        every inferred date (a source's ``date``, a model's ``announced``), saying
        whether it is inferred from the texts or from the outside sources the record
        quotes in ``outside``; a note backed by ``outside`` quotes; a model's
        ``announced`` date with no ``announced_basis``; an accelerator's ``released``
        date, which no quote backs. ``modelcompare validate`` prints one ``info:``
        line for each."""
        out: list[Notice] = []
        for src in self.sources.values():
            rec = f"source {src.id!r}"
            notice = _date_notice(rec, "date", src.date, src.date_basis, src.outside)
            if notice is not None and src.date_basis is not None:
                out.append(notice)
            elif src.outside:
                out.append(
                    Notice(rec, "date_note", f"rests on outside knowledge: {_quoted(src.outside)}")
                )
        for m in self._models:
            rec = f"model {m.id!r}"
            notice = _date_notice(rec, "announced", m.announced, m.announced_basis, m.outside)
            if notice is not None:
                out.append(notice)
            if m.outside and m.announced_basis != "inferred":
                out.append(Notice(rec, "note", f"rests on outside knowledge: {_quoted(m.outside)}"))
        for a in self.accelerators:
            if a.released is not None:  # a catalog date is no claim: nothing quotes it
                message = f"{a.released} is quoted from no source (its note says how it is known)"
                out.append(Notice(f"accelerator {a.id!r}", "released", message))
        return out

    def validate(
        self, *, include_warnings: bool = False, _partial: Iterable[str] = ()
    ) -> list[Problem]:
        """Check the loaded data against its sources, each problem at its place in
        its data file: every quote verbatim in its source's text (white space
        folded); every figure in its quotes, as :func:`find_quantities` reads
        them in the source's language (see docs/data-format.md, "What validate
        checks"); no two claims identical in field, value, status and sources;
        a citation on every claim; values of the field's dimension. With
        ``include_warnings``, also the warnings: contradicting claims, figures no
        reader could check. Returns the problems, in file and line order (none:
        an empty list)."""
        from .validation import check

        return check(
            self._models,
            self.accelerators,
            self.conflicts() if include_warnings else (),
            include_warnings=include_warnings,
            files=self.files,
            partial=_partial,
            sources=self.sources.values(),
        )


_lock = threading.Lock()
_parsed: dict[Path, tuple[float, FileData]] = {}
_default: list[Registry] = []


def _parse_cached(path: Path) -> FileData:
    mtime = path.stat().st_mtime if path.exists() else -1.0
    hit = _parsed.get(path)
    if hit is None or hit[0] != mtime:
        hit = (mtime, read_file(path, allow_paths_outside=True))  # ours: seeds/ is beside
        _parsed[path] = hit
    return hit[1]


def load_registry(
    paths: Iterable[str | PathLike[str]] = (),
    *,
    builtin: bool = True,
    allow_paths_outside: bool = False,
    date: str | None = None,
    cache: bool = False,
) -> Registry:
    """The registry of the built-in data, plus the data files in ``paths``:
    TOML data files and Epoch AI CSV exports (``notable_ai_models.csv`` …).

    ``date`` (``YYYY-MM-DD``) is the date of the Epoch exports among ``paths``,
    where they were downloaded; by default, the newest ``Last modified`` in each.
    The built-in data is read once and cached; user files are read on every
    call. Malformed files raise one :class:`DataFileError` whose ``problems``
    list every problem of every file; nothing is half-loaded.

    A user file's source paths (and its ``root``) must lead inside the file's
    own folder, symlinks resolved, so that checking a file someone else wrote
    reads nothing else on the machine; ``allow_paths_outside=True`` lifts this
    for files you trust.

    With ``cache=True`` (what the command line does) a successful load is kept
    in a compiled cache (see :mod:`modelcompare.regcache`), and a later load of
    the same unchanged files, in any process, is read from it instead: keyed by
    the files' contents, the options and the package, and ignored when stale
    or unreadable. ``MODELCOMPARE_NO_CACHE=1`` turns it off.
    """
    if isinstance(paths, str | PathLike):
        paths = [paths]
    user, twice = _distinct([Path(p) for p in paths], builtin)
    for message in twice:
        warnings.warn(DataFileWarning(message), stacklevel=2)
    with _lock:
        if not user and builtin and _default:
            return _default[0]
        options: dict[str, object] = {"allow_paths_outside": allow_paths_outside}
        if date is not None:
            options["date"] = date
        files = [*_builtin_files(), *user] if builtin else user
        key = regcache.key(files, [*options.items(), ("builtin", builtin)]) if cache else None
        reg = _from_cache(key)
        if reg is None:
            with collector_paused():  # until the registry is made (see collector_paused)
                parsed = [_parse_cached(p) for p in _builtin_files()] if builtin else []
                mine = [read_file(p, **options) for p in user]  # every problem, raised together
                built = build([*parsed, *mine], defer=True, base=len(parsed))
                said = tuple(_adds_nothing(fd.path) for fd in mine if fd.tables == 0)
                consulted = [pair for fd in (*parsed, *mine) for pair in fd.consulted]
                reg = Registry._of_built(built)
                # the files' drafts are dropped while the collector is paused: it would
                # otherwise go over every one of them once before they are freed
                del mine, built
            if key is not None:
                _to_cache(key, reg, said, consulted)
            for message in said:
                warnings.warn(DataFileWarning(message), stacklevel=2)
        if not user and builtin:
            _default.append(reg)
        return reg


def _distinct(user: list[Path], builtin: bool) -> tuple[list[Path], list[str]]:
    """The data files of a load, each once (a file given twice, by any path, or a
    built-in one given again, would be every record twice: hundreds of "duplicate"
    problems for one slip), and what to say of each one left out."""
    if not user:  # the built-in data alone (the common call): nothing to ask the disk
        return [], []
    seen = dict(_builtin_real()) if builtin else {}
    out, said = [], []
    for p in user:
        real = os.path.realpath(p)
        first = seen.setdefault(real, p)
        if first is not p:
            said.append(f"{p}: given twice (also as {first}); read once")
        else:
            out.append(p)
    return out, said


def _from_cache(key: str | None) -> Registry | None:
    """The registry cached under ``key``, its chips defined and its warnings given."""
    entry = regcache.load(key)
    if entry is None:
        return None
    try:
        for chip in entry.chips:
            _define_checked(chip)
        head, blobs = entry.registry
        reg = Registry._from_compiled(head, blobs)
    except Exception:  # an entry this process cannot take back: load the files
        return None
    for message in entry.warnings:
        warnings.warn(DataFileWarning(message), stacklevel=3)
    return reg


def _to_cache(
    key: str, reg: Registry, said: tuple[str, ...], consulted: Sequence[tuple[Path, Path]]
) -> None:
    try:
        blob = reg._compiled()
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # pragma: no cover - every record pickles; a cache is only an optimisation
    entry = regcache.Entry(
        chips=tuple(dict.fromkeys(a.unit for a in reg.accelerators)),
        warnings=said,
        consulted=regcache.consulted(consulted),
        registry=blob,
    )
    regcache.store(key, entry)


def _adds_nothing(path: Path) -> str:
    return (
        f"{path}: adds nothing: no [[source]], [[model]], [[claim]] or [[accelerator]] "
        "table (the file is empty, or only comments)"
    )


def validate_files(
    paths: Iterable[str | PathLike[str]] = (),
    *,
    builtin: bool = True,
    include_warnings: bool = False,
    allow_paths_outside: bool = False,
    date: str | None = None,
) -> list[Problem]:
    """Every problem of the data in ``paths`` (and the built-in data) in one pass:
    what :func:`load_registry` would refuse (each a problem at its place), then
    what :meth:`Registry.validate` finds in the records that do load; with
    ``include_warnings``, also the warnings (contradicting claims, a file that
    adds nothing, figures no reader could check). Never raises DataFileError.
    """
    return _validate(
        paths,
        builtin=builtin,
        include_warnings=include_warnings,
        allow_paths_outside=allow_paths_outside,
        date=date,
    )[1]


def _validate(
    paths: Iterable[str | PathLike[str]],
    *,
    builtin: bool,
    include_warnings: bool,
    allow_paths_outside: bool = False,
    date: str | None = None,
) -> tuple[Registry, list[Problem], int]:
    """:func:`validate_files`, the registry of the records that loaded, and how many
    of the problems :func:`load_registry` would refuse."""
    if isinstance(paths, str | PathLike):
        paths = [paths]
    user, twice = _distinct([Path(p) for p in paths], builtin)
    with _lock:
        parsed = [_parse_cached(p) for p in builtin_files()] if builtin else []
    options: dict[str, object] = {"allow_paths_outside": allow_paths_outside}
    if date is not None:
        options["date"] = date
    mine = [read_file(p, **options) for p in user]
    refused: list[DataFileError] = []
    built = build([*parsed, *mine], refused, base=len(parsed))
    reg = Registry._of_built(built)
    problems = [
        Problem(e.path, e.record or "", e.field or "", e.message, e.line, e.suggestion, "error")
        for e in refused
    ]
    if include_warnings:
        problems += [
            Problem(m.split(": ", 1)[0], "", "", m.split(": ", 1)[1], None, None, "warning")
            for m in twice
        ]
        problems += [
            Problem(
                str(fd.path),
                "",
                "",
                _adds_nothing(fd.path).split(": ", 1)[1],
                None,
                None,
                "warning",
            )
            for fd in mine
            if fd.tables == 0
        ]
    partial = {e.path for e in refused}
    problems += reg.validate(include_warnings=include_warnings, _partial=partial)
    order = {str(f): n for n, f in enumerate(built.files)}
    ordered = sorted(problems, key=lambda p: (order.get(p.path, len(order)), p.line or 0))
    return reg, ordered, len(refused)


def _reset_cache() -> None:
    """Forget the cached built-in registry (for tests)."""
    with _lock:
        _default.clear()
        _parsed.clear()


def ratio(
    a: str | Model, b: str | Model, field: str, *, registry: Registry | None = None
) -> Estimate:
    """``a``'s ``field`` over ``b``'s, as a bounded :class:`Estimate`.

    >>> import modelcompare as mc
    >>> str(mc.ratio("Grok", "MAI-1-preview", "training_accelerators"))
    '≥6.45'
    """
    reg = registry if registry is not None else load_registry()
    return reg.ratio(a, b, field)


# -- figures of a model named by any of its names ----------------------------------------------
def _resolve(model: Model | str, registry: Registry | None) -> tuple[Model, Registry]:
    """``model`` (a Model, or a name looked up) and the registry it is in: ``registry``,
    else the model's own, else the built-in one."""
    if registry is None:
        owner = getattr(model.derive, "__self__", None) if isinstance(model, Model) else None
        registry = owner if isinstance(owner, Registry) else load_registry()
    return registry[model], registry


def weights_memory(
    model: Model | str, precision: Precision | str = "bf16", *, registry: Registry | None = None
) -> Claim | None:
    """The memory the weights of ``model`` take at ``precision`` (``fp32``,
    ``fp16``, ``bf16``, ``fp8``, ``int8``, ``int4``): total parameters × bytes
    per parameter, as a derived :class:`Claim` (its ``value`` an Estimate in
    bytes), or None where no parameter count is known.

    >>> import modelcompare as mc
    >>> str(mc.weights_memory("Phi-3-mini").value)
    '7.6 GB'
    >>> claim = mc.weights_memory("Phi-3-mini", "int4")
    >>> str(claim.value), claim.formula
    ('1.9 GB', 'N · 0.5 B (INT4)')

    ``model`` is a :class:`Model` or a name looked up in ``registry`` (default:
    the model's own registry, else the built-in one). :class:`UnknownFieldError`
    for an unknown precision; :class:`ConflictError` where the parameter claims
    contradict each other.
    """
    m, _ = _resolve(model, registry)
    return derived.weights_of(m, precision)


def accelerators_to_hold(
    model: Model | str,
    accelerator: str = "H100",
    precision: Precision | str = "bf16",
    *,
    registry: Registry | None = None,
) -> Claim | None:
    """How many ``accelerator`` units' memory the weights of ``model`` fill at
    ``precision``: ⌈weights ÷ memory per unit⌉, low and high ends each rounded
    up; a derived :class:`Claim` whose value counts that chip, or None where
    the weights or the chip's memory are unknown.

    The weights alone: serving or training needs more (KV cache, activations,
    optimizer state). ``accelerator`` is a unit (``"H100"``: the catalog's
    default variant) or a catalog id (``"h100-pcie"``); a GB200 unit is a
    superchip of 2 GPUs, so the count is of superchips.

    >>> import modelcompare as mc
    >>> str(mc.accelerators_to_hold("GPT-4").value)
    '44 H100'
    >>> str(mc.accelerators_to_hold("GPT-4", "GB200", "fp8").value)
    '5 GB200'
    """
    m, reg = _resolve(model, registry)
    return derived.accelerators_to_hold_of(m, reg.accelerator(accelerator), precision)


def training_time(
    model: Model | str, utilization: float = 0.4, *, registry: Registry | None = None
) -> Claim | None:
    """A lower bound on the training time of ``model`` for hardware sustaining
    at most ``utilization`` of its dense BF16 peak: training compute ÷
    (``training_peak_compute`` × utilization), a derived :class:`Claim` in
    days ("at least"), or None where the compute or the peak is unknown or the
    bound would be trivial (an "at least" peak has no top, so no bound).

    The claim's field is ``training_time``, its formula ``C / (P · 0.4)`` and its
    note state the utilization. The ``training_time_at_peak`` field is the bound
    at utilization 1 (the hardest bound): ``training_time(m, 1)`` has its value.
    For a fine-tuned model (a ``base_model`` claim) the compute is its
    ``finetune_compute`` (its training compute may include the base model's
    training, on hardware not listed), and None where that is not given.
    No built-in model has both a training compute and a hardware count.

    >>> import modelcompare as mc
    >>> mc.training_time("Phi-3-mini") is None
    True

    :class:`ValueError` unless ``0 < utilization <= 1``.
    """
    derived.check_utilization(utilization)  # ValueError before any look-up
    m, _ = _resolve(model, registry)
    return derived.training_time_of(m, utilization)


def chinchilla_ratio(model: Model | str, *, registry: Registry | None = None) -> Claim | None:
    """The tokens per parameter of ``model`` over the compute-optimal ~20 of
    Hoffmann et al. 2022 ("Training Compute-Optimal Large Language Models",
    arXiv:2203.15556, the Chinchilla paper; see
    :data:`CHINCHILLA_TOKENS_PER_PARAMETER`): a derived :class:`Claim` whose
    value is a pure number (1 = compute-optimal, 40 = trained on 40 × as many
    tokens per parameter), or None where a count is missing.

    >>> import modelcompare as mc
    >>> str(mc.chinchilla_ratio("Phi-3-mini").value)
    '43.4…'
    """
    m, _ = _resolve(model, registry)
    return derived.chinchilla_ratio_of(m)
