"""modelcompare.testing: its strategies draw only what modelcompare accepts, of every
kind they promise; its assertions pass and fail when they should, saying why; and
Hypothesis is imported by it alone."""

from __future__ import annotations

import math
import operator
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.loader import parse_value
from modelcompare.testing import (
    ALL_KINDS,
    HOSTILE_TEXTS,
    KNOWN_KINDS,
    assert_contains,
    assert_same_quantity,
    assert_sound,
    claims,
    estimates,
    hostile_text,
    members,
    models,
    quantities,
    registries,
    stated_numbers,
    unit_names,
    units,
    write_data_file,
)

E = mc.Estimate
#: Registries are slow to draw (files, pint): fewer examples, no health check on size.
FEW = settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter of this environment."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


# -- imports -----------------------------------------------------------------------------------
def test_import_modelcompare_does_not_import_hypothesis() -> None:
    """`import modelcompare` (and using it) leaves Hypothesis out of sys.modules."""
    out = run_python(
        "import sys, modelcompare as mc\n"
        "str(mc.Estimate.about(15000, 'H100')); mc.load_registry()\n"
        "print(sorted(m for m in sys.modules if m.partition('.')[0] == 'hypothesis'))"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "block",
    [
        "sys.modules['hypothesis'] = None",  # what `import hypothesis` gives when it is absent
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] == 'hypothesis':\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Block())",
    ],
)
def test_without_hypothesis_the_error_names_the_extra(block: str) -> None:
    """Without Hypothesis, importing modelcompare.testing raises MissingDependencyError (a
    ModelCompareError and an ImportError) naming `pip install 'modelcompare[testing]'`."""
    out = run_python(
        f"import sys\n{block}\n"
        "import modelcompare as mc\n"
        "try:\n"
        "    import modelcompare.testing\n"
        "except mc.ModelCompareError as exc:\n"
        "    assert isinstance(exc, ImportError) and isinstance(exc, mc.MissingDependencyError)\n"
        "    print(exc)\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == (
        "the strategies of modelcompare.testing need hypothesis, which is not installed; "
        "install it with: pip install 'modelcompare[testing]'"
    )


def test_the_testing_extra_is_declared_and_test_pulls_it() -> None:
    """pyproject.toml declares modelcompare[testing] (hypothesis) and [test] includes it."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    extras = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"
    ]
    assert any(req.startswith("hypothesis") for req in extras["testing"])
    assert "modelcompare[testing]" in extras["test"]


# -- units and quantities ------------------------------------------------------------------------
def test_unit_names_hold_the_prefixed_units() -> None:
    """The strategies' units include Gparameter, kH100, TFLOP/s and binary and decimal bytes."""
    assert "Gparameter" in unit_names("[parameter]")
    assert "kH100" in unit_names(field="training_accelerators")
    assert "TFLOP/s" in unit_names("[compute] / [time]")
    assert {"GB", "GiB", "kB", "KiB"} <= set(unit_names("[information]"))
    assert unit_names("parameter") == unit_names("[parameter]")
    assert unit_names(field="mmlu") == ("percent",)
    assert {mc.ureg.Quantity(1, u).dimensionality for u in unit_names("W")} == {
        mc.Q_(1, "W").dimensionality
    }
    chips = {u.removeprefix("k") for u in unit_names("accelerator")}
    assert {"A100", "B200", "GB200", "GPU", "H100", "H200"} <= chips
    units_txt = (Path(mc.__file__).parent / "units.txt").read_text("utf-8")
    assert all(f"[accelerator_{c}]" in units_txt for c in chips)  # none a data file declares


def test_unknown_dimensions_and_fields_are_refused() -> None:
    """A dimension with no unit, a unit that is none, a field that is no quantity: clear errors."""
    with pytest.raises(mc.UnitError, match=r"unknown dimension '\[nonsense\]'"):
        unit_names("[nonsense]")
    with pytest.raises(mc.UnitError, match=r"no unit of dimension '\[token\] / \[par"):
        unit_names("[token] / [parameter]")
    assert unit_names("token/parameter") == ("token/parameter",)
    with pytest.raises(mc.UnitError, match="H-100"):
        unit_names("H-100")
    with pytest.raises(mc.UnknownFieldError, match="did you mean 'parameters'"):
        unit_names(field="parameter")
    with pytest.raises(mc.InvalidValueError, match="rank field, not a quantity"):
        estimates(field="lmarena_text_rank")
    with pytest.raises(mc.UnitError, match="does not take 'GB'"):
        quantities(field="parameters", unit="GB")


@given(st.sampled_from(sorted(n for n, f in mc.FIELDS.items() if f.kind == "quantity")), st.data())
def test_quantities_of_a_field_are_what_the_field_accepts(name: str, data: st.DataObject) -> None:
    """A quantity drawn for a field is finite, positive (≥ 0 for scores), in a unit the field
    takes, and the field's check (the loader's) accepts it as an exact value."""
    q = data.draw(quantities(field=name))
    spec = mc.FIELDS[name]
    assert math.isfinite(q.magnitude)
    assert q.magnitude > 0 or (spec.bounds is not None and q.magnitude >= spec.bounds[0])
    assert spec.accepts(f"{q.units}")
    assert spec.check(E(q, "exact")) is None


@given(st.sampled_from(["[parameter]", "[token]", "[information]", "accelerator", "W"]), st.data())
def test_quantities_of_a_dimension_have_it(dimension: str, data: st.DataObject) -> None:
    """quantities(dimension) draws positive quantities of that dimension; signed ones may be < 0."""
    q = data.draw(quantities(dimension))
    assert q.magnitude > 0
    assert str(q.units) in {str(mc.Q_(1, u).units) for u in unit_names(dimension)}
    signed = data.draw(quantities(dimension, signed=True))
    assert math.isfinite(signed.magnitude)


def test_quantities_reach_the_prefixed_units_and_far_magnitudes() -> None:
    """Hypothesis finds Gparameter, kH100, TFLOP/s and GiB quantities, and tiny and huge ones."""
    for dimension, unit in [
        ("[parameter]", "gigaparameter"),
        ("accelerator", "kilonvidia_h100"),
        ("[compute] / [time]", "terafloating_point_operation / second"),
        ("[information]", "gibibyte"),
    ]:
        find(quantities(dimension), lambda q, u=unit: str(q.units) == u)  # type: ignore[misc]
    find(quantities("[parameter]"), lambda q: q.to("parameter").magnitude > 1e24)
    find(quantities("[parameter]"), lambda q: q.to("parameter").magnitude < 1e-2)


@given(stated_numbers())
def test_stated_numbers_have_at_most_four_digits(x: float) -> None:
    """A stated number is positive, finite and written with at most four significant digits."""
    assert 0 < x < math.inf
    digits = Decimal(repr(x)).normalize().as_tuple().digits
    assert len(digits) <= 4


# -- estimates -----------------------------------------------------------------------------------
def rebuilt(e: mc.Estimate) -> mc.Estimate:
    """``e`` made again by the constructor of its kind, from its own figures."""
    lo, n, hi = e.interval()
    u = e.units
    return {
        mc.Bound.EXACT: lambda: E.exact(n, u),
        mc.Bound.APPROX: lambda: E.about(n, u),
        mc.Bound.AT_LEAST: lambda: E.at_least(n, u),
        mc.Bound.AT_MOST: lambda: E.at_most(n, u),
        mc.Bound.RANGE: lambda: E.between(lo, hi, u),
        mc.Bound.UNKNOWN: lambda: E.unknown(u),
    }[e.bound]()


def toml_form(e: mc.Estimate) -> dict[str, object]:
    """The value table a data file would hold for ``e``."""
    lo, n, hi = e.interval()
    unit = str(e.units)  # the full name: "percent", "kilonvidia_h100"
    form: dict[mc.Bound, dict[str, object]] = {
        mc.Bound.EXACT: {"exact": n},
        mc.Bound.APPROX: {"about": n},
        mc.Bound.AT_LEAST: {"at_least": n},
        mc.Bound.AT_MOST: {"at_most": n},
        mc.Bound.RANGE: {"low": lo, "high": hi},
        mc.Bound.UNKNOWN: {"unknown": True},
    }
    return {**form[e.bound], "unit": unit}


@given(estimates(signed=True))
def test_estimates_are_what_their_constructors_make(e: mc.Estimate) -> None:
    """Every estimate drawn passes Estimate's own checks and is what the constructor of its
    kind makes from its figures (so an "about" spans what its digits say)."""
    again = mc.Estimate(e.nominal, e.bound, e.low, e.high)
    assert again == e
    assert rebuilt(e) == e


@given(st.sampled_from(sorted(n for n, f in mc.FIELDS.items() if f.kind == "quantity")), st.data())
def test_estimates_of_a_field_are_what_the_loader_reads(name: str, data: st.DataObject) -> None:
    """An estimate drawn for a field, written as a data file's value, reads back as itself
    and passes the field's check."""
    e = data.draw(estimates(field=name))
    assert mc.FIELDS[name].check(e) is None
    assert parse_value(toml_form(e)) == e


@pytest.mark.parametrize("kind", list(mc.Bound))
def test_each_bound_kind_is_drawn_and_can_be_chosen(kind: mc.Bound) -> None:
    """estimates() draws every bound kind, and kinds= restricts it to the ones asked for."""
    find(estimates(), lambda e: e.bound is kind)

    @given(estimates(field="training_accelerators", kinds=[kind]))
    def only(e: mc.Estimate) -> None:
        assert e.bound is kind

    only()


@given(estimates(kinds=[mc.Bound.APPROX]))
def test_about_spans_follow_the_stated_digits(e: mc.Estimate) -> None:
    """An "about" spans half a unit in the last non-zero digit of its number, either side."""
    lo, n, hi = e.interval()
    exponent = Decimal(repr(n)).normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    half = 0.5 * 10.0**exponent
    assert math.isclose(n - lo, half, rel_tol=1e-9)
    assert math.isclose(hi - n, half, rel_tol=1e-9)


@given(estimates(unit="kH100"), estimates(unit=["GB", "GiB"]))
def test_unit_pins_the_unit(a: mc.Estimate, b: mc.Estimate) -> None:
    """unit= draws only in the units given."""
    assert str(a.units) == "kilonvidia_h100"
    assert str(b.units) in {"gigabyte", "gibibyte"}


@given(estimates(field="mmlu"), estimates(field="mt_bench"))
def test_scores_stay_within_their_bounds(mmlu: mc.Estimate, mt: mc.Estimate) -> None:
    """Scores are drawn within their bounds, spans included: MMLU 0–100 %, MT-bench 1–10."""
    for e, (lo, hi) in ((mmlu, (0, 100)), (mt, (1, 10))):
        finite = [x for x in e.interval() if math.isfinite(x)]
        assert all(lo <= x <= hi for x in finite), e


@given(estimates(), st.data())
def test_members_lie_inside(e: mc.Estimate, data: st.DataObject) -> None:
    """members(e) draws quantities in e's unit inside its interval."""
    x = data.draw(members(e))
    assert x.units == e.units
    assert e.contains(x)


def test_members_reach_both_ends() -> None:
    """members() draws the ends of a range."""
    e = E.between(2, 3, "Gparameter")
    find(members(e), lambda q: q.magnitude == 2)
    find(members(e), lambda q: q.magnitude == 3)


def test_kinds_constants() -> None:
    """ALL_KINDS holds every bound kind; KNOWN_KINDS all but unknown."""
    assert set(ALL_KINDS) == set(mc.Bound)
    assert set(KNOWN_KINDS) == set(mc.Bound) - {mc.Bound.UNKNOWN}


# -- records ---------------------------------------------------------------------------------------
def same_registry(a: mc.Registry, b: mc.Registry) -> None:
    """Same models (with their claims and citations) and the same sources."""
    assert list(a) == list(b)
    assert dict(a.sources) == dict(b.sources)


@FEW
@given(registries())
def test_registries_load_back_and_validate(
    tmp_path_factory: pytest.TempPathFactory, reg: mc.Registry
) -> None:
    """A drawn registry passes validate() (every quote stands in its source's text), and its
    data file loads back (through the loader) as the same registry, which validates too."""
    assert reg.validate() == []
    folder = tmp_path_factory.mktemp("reg")
    back = mc.load_registry([write_data_file(reg, folder)], builtin=False)
    same_registry(back, reg)
    assert back.validate() == []
    for m in reg:
        assert m.claims() or m.mentions
        assert reg[m.name] is reg[m.id]


@FEW
@given(models(min_claims=2, conflicts=True, hostile=False))
def test_models_load_back(tmp_path_factory: pytest.TempPathFactory, model: mc.Model) -> None:
    """A drawn model (here with several claims, maybe on one field) loads back as itself."""
    assert len(model.stated_claims) >= 2
    reg = mc.Registry([model], {s.id: s for s in model.sources})
    assert reg.validate() == []
    back = mc.load_registry([write_data_file(reg, tmp_path_factory.mktemp("m"))], builtin=False)
    assert list(back) == [model]


@FEW
@given(
    st.sampled_from(sorted(n for n, f in mc.FIELDS.items() if f.stated)).flatmap(
        lambda name: st.tuples(st.just(name), claims(name))
    )
)
def test_claims_load_back(
    tmp_path_factory: pytest.TempPathFactory, drawn: tuple[str, mc.Claim]
) -> None:
    """A drawn claim on a field is on that field, stated (never derived), cites quotes that
    stand in its sources, and loads back as itself."""
    name, claim = drawn
    assert claim.field == name
    assert claim.status is not mc.Status.DERIVED
    assert mc.FIELDS[name].check(claim.value) is None
    for c in claim.citations:
        assert " ".join(c.quote.split()) in " ".join(c.source.text().split())
    if mc.FIELDS[name].kind == "relation":  # it names a model of its registry: see above
        assert claim.subject not in claim.value.ids  # type: ignore[union-attr]
        return
    model = mc.Model(id=claim.subject, name="M", organization="O", stated_claims=(claim,))
    reg = mc.Registry([model], {s.id: s for s in claim.sources})
    back = mc.load_registry([write_data_file(reg, tmp_path_factory.mktemp("c"))], builtin=False)
    assert back[claim.subject].stated_claims == (claim,)


@FEW
@given(registries(min_models=3, max_models=3, max_sources=3, hostile=False))
def test_registries_of_a_given_size(reg: mc.Registry) -> None:
    """min_models/max_models set the number of models, max_sources caps the sources, and
    hostile=False gives plain names; each name finds its own model."""
    assert len(reg) == 3
    assert 1 <= len(reg.sources) <= 3
    for m in reg:
        assert re.fullmatch(r"[A-Z][a-z]+-\d+( mini| Pro|-preview| \(beta\))?", m.name)
        assert reg[m.name] is reg[m.id]


def test_registry_options_are_checked() -> None:
    """Impossible sizes and derived fields are refused with a clear error."""
    with pytest.raises(mc.InvalidValueError, match="derived"):
        registries(fields=["weights_memory"])
    with pytest.raises(mc.InvalidValueError, match="conflicts=True"):
        registries(fields=["parameters"], min_claims=2)


# -- hostile text ----------------------------------------------------------------------------------
def test_hostile_text_holds_the_known_breakers() -> None:
    """The strings that broke renderers are all there: Markdown pipes, LaTeX commands, HTML
    tags, spreadsheet formulas, control characters, blank text."""
    for text in ["R&D | <b>50%</b> \\input{x}", "\\write18{rm -rf /}", '=HYPERLINK("http://x")',
                 "<script>alert(1)</script>", "line\nbreak", "\rCR", "", "a--b ''"]:  # fmt: skip
        assert text in HOSTILE_TEXTS
        find(hostile_text(), lambda s, t=text: s == t)  # type: ignore[misc]


@given(hostile_text(allow_blank=False))
def test_hostile_text_without_blanks(text: str) -> None:
    """allow_blank=False never draws empty or white-space-only text, nor a lone surrogate."""
    assert text.strip()
    text.encode("utf-8")


# -- assertions --------------------------------------------------------------------------------
def test_assert_contains_messages() -> None:
    """assert_contains passes for contained values and says, with units, which end fails."""
    assert_contains(E.about(15, "kH100"), mc.Q_(14_500, "H100"))
    assert_contains(E.at_least(1, "Gparameter"), E.between(2, 3, "Tparameter"))
    assert_contains(E.unknown("H100"), E.at_most(3, "H100"))
    assert_contains(E.exact(1, "kB"), mc.Q_(1000, "B"))
    with pytest.raises(AssertionError) as info:
        assert_contains(E.at_most(80, "GB"), E.at_least(70, "GB"))
    assert str(info.value) == (
        "≤80 GB ([-∞, 80] GB) does not contain ≥70 GB ([70, ∞] GB): ∞ GB is above its high end, "
        "80 GB"
    )
    with pytest.raises(AssertionError) as info:
        assert_contains(E.exact(1, "kB"), mc.Q_(1, "KiB"))
    assert str(info.value) == (
        "1 kB does not contain 1.024 kB: 1.024 kB is above its high end, 1 kB"
    )
    with pytest.raises(AssertionError, match=r"H100 \(\[accelerator_H100\]\) is not a quantity of"):
        assert_contains(E.exact(1, "GB200"), E.exact(1, "H100"))


OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv]


@st.composite
def operands(draw: st.DrawFn) -> tuple[mc.Estimate, mc.Estimate]:
    """Two known estimates of one dimension (the second nonzero), signed."""
    dim = draw(st.sampled_from(["[parameter]", "accelerator", "[information]"]))
    a = draw(estimates(dim, kinds=KNOWN_KINDS, signed=True))
    b = draw(estimates(unit=unit_names(str(a.units)), kinds=KNOWN_KINDS, signed=True))
    return a, b


@settings(max_examples=40)
@given(operands(), st.sampled_from(OPERATORS))
def test_modelcompare_arithmetic_is_sound(
    pair: tuple[mc.Estimate, mc.Estimate], op: object
) -> None:
    """assert_sound holds for modelcompare's own + - * / (what it promises)."""
    a, b = pair
    assert callable(op)
    refused = (mc.DivisionByZeroError, mc.InvalidValueError)  # ÷ exactly 0, float overflow
    try:
        op(a, b)
    except refused:
        return
    assert_sound(op, a, b, undefined=refused)


def nominal_only(n: mc.Estimate) -> mc.Estimate:
    """Wrong on purpose: the power of the nominal count, keeping the bound kind."""
    _, v, _ = n.interval("H100")
    kinds = {"exact": E.exact, "approx": E.about, "at_least": E.at_least, "at_most": E.at_most}
    return kinds[n.bound.value](v * 0.0007, "MW")


def test_assert_sound_finds_a_conversion_that_drops_the_span() -> None:
    """Hypothesis with assert_sound finds the conversion that keeps only the nominal value,
    and shrinks to the simplest count: about 1 H100."""

    failures: list[str] = []

    @settings(database=None, max_examples=200)
    @given(estimates(unit="H100", kinds=KNOWN_KINDS[:4]))
    def check(n: mc.Estimate) -> None:
        try:
            assert_sound(nominal_only, n)
        except AssertionError as exc:
            failures.append(str(exc))
            raise

    with pytest.raises(AssertionError):
        check()
    message = failures[-1]
    assert message.startswith(
        "nominal_only is not sound: at n = 0.5 H100 (in ≈1 H100) it gives 0.00035 MW, outside "
        "its result for the estimates, ≈"
    )
    assert message.endswith("[0.00065, 0.00075] MW): 0.00035 MW is below its low end, 0.00065 MW")


def test_assert_sound_samples_open_ends_and_positive_points() -> None:
    """An open end is explored far out; positive=True keeps points above 0; several inputs."""

    def capped(n: mc.Estimate) -> mc.Estimate:  # wrong above 100,000
        lo, _, hi = n.interval()
        return E.between(lo, min(hi, 1e5), "H100") if lo < hi else E.exact(lo, "H100")

    with pytest.raises(AssertionError, match=r"at n = 250001 H100 \(in ≥1 H100\) it gives 250001"):
        assert_sound(capped, E.at_least(1, "H100"))
    with pytest.raises(mc.DivisionByZeroError) as info:
        assert_sound(operator.truediv, E.exact(1, "H100"), E.between(-1, 1, "H100"))
    assert (
        "raised this at input 1 = 1 H100 (in 1 H100), input 2 = 0 H100" in info.value.__notes__[0]
    )
    assert_sound(operator.truediv, E.exact(1), E.between(-1, 1), undefined=mc.DivisionByZeroError)

    def checked(n: mc.Estimate) -> mc.Estimate:
        assert n.bound != "exact" or n.interval()[0] > 0, "a count must be positive"
        return n * 2

    assert_sound(checked, E.at_most(14, "H100"), positive=True)
    with pytest.raises(AssertionError, match="must be positive"):
        assert_sound(checked, E.at_most(14, "H100"))
    assert_sound(lambda a, b, c, d: a * b + c * d, *[E.between(1, 2, "H100")] * 4)
    with pytest.raises(mc.InvalidValueError):
        assert_sound(checked)


def test_assert_same_quantity_messages() -> None:
    """assert_same_quantity compares across prefixes, within rel, and says what differs."""
    assert_same_quantity(E.about(15, "kH100"), E.about(15_000, "H100"))
    assert_same_quantity(mc.Q_(1, "GiB"), mc.Q_(1.073741824, "GB"))
    assert_same_quantity(mc.Q_(100, "W"), mc.Q_(101, "W"), rel=0.01)
    assert_same_quantity(E.unknown("GB200"), E.unknown("kGB200"))
    with pytest.raises(AssertionError) as info:
        assert_same_quantity(E.about(15_000, "H100"), E.at_least(15_000, "H100"))
    assert str(info.value) == (
        "≈15,000 H100 ([14500, 15500] H100) and ≥15,000 H100 ([15000, ∞] H100) are not the same "
        "quantity: one is approx, the other at_least"
    )
    with pytest.raises(AssertionError) as info:
        assert_same_quantity(mc.Q_(1, "GB"), mc.Q_(1, "H100"))
    assert str(info.value) == (
        "1 GB and 1 H100 are not the same quantity: GB is [information], H100 is [accelerator_H100]"
    )
    with pytest.raises(AssertionError, match=r"high 15\.5 kH100 and 15\.6 kH100 differ by 0\.0064"):
        assert_same_quantity(E.about(15, "kH100"), E.about(15_000, "H100", high=15_600))


def test_units_strategy() -> None:
    """units() draws the names unit_names() lists."""
    find(units("[information]"), lambda u: u == "GiB")


# -- the README's example --------------------------------------------------------------------------
def readme_example() -> tuple[str, list[str]]:
    """The test file of the README's section on modelcompare.testing, and the lines
    of the failure it shows."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    section = readme.split("## Testing code that uses modelcompare", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(from hypothesis.*?)```", section, re.S)
    shown = re.search(r"```text\n(.*?)```", section, re.S)
    assert code is not None
    assert shown is not None
    return code.group(1), [line.removeprefix("E").strip() for line in shown.group(1).splitlines()]


def test_readme_example_finds_the_wrong_conversion(tmp_path: Path) -> None:
    """The README's test file, run with pytest in a project of its own, passes the right
    conversion and fails the wrong one with the very failure and shrunk counterexample
    the README shows."""
    code, shown = readme_example()
    (tmp_path / "test_power.py").write_text(code, encoding="utf-8")
    (tmp_path / "conftest.py").write_text(
        "from hypothesis import settings\n\n"
        "# this machine may be slow: no deadline (Hypothesis would call it flaky)\n"
        'settings.register_profile("slow", deadline=None)\n'
        'settings.load_profile("slow")\n',
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly",
         "--hypothesis-seed=0", "test_power.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert out.returncode == 1, out.stdout + out.stderr
    assert "1 failed, 1 passed" in out.stdout
    assert "FAILED test_power.py::test_training_megawatts_restated_is_sound" in out.stdout
    printed = [line.removeprefix("E").strip() for line in out.stdout.splitlines()]
    start = printed.index(shown[0])
    assert printed[start : start + len(shown)] == shown, out.stdout
