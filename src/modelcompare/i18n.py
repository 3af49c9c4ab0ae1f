"""The languages a comparison can be written in: English (the default) and French.

``compare(..., lang="fr")`` writes figures as French does (``15 000`` with a
narrow no-break space, ``1,76``; :mod:`modelcompare.display`), the column
headers with French field names, ranks as ``13e``, the legend (the marks'
and the qualifiers' meanings) in French, and the renderers' own words
(``Modèle``, ``Sources :``); machine formats (CSV and JSON keys, the
DataFrame's columns) keep their English keys, their text cells are French.
"""

from __future__ import annotations

import re
from typing import Literal, TypeAlias

from .errors import InvalidValueError

__all__ = ["LANGS", "Lang", "check_lang", "field_label", "translate", "word"]

Lang: TypeAlias = Literal["en", "fr"]
#: The languages :func:`~modelcompare.compare` takes.
LANGS: tuple[Lang, ...] = ("en", "fr")

#: Each field's name in a French header (a field missing here keeps its English
#: label: ``tests/test_i18n.py`` lists the ones to add).
FIELD_LABELS_FR: dict[str, str] = {
    "parameters": "Paramètres",
    "active_parameters": "Paramètres actifs",
    "training_tokens": "Tokens d’entraînement",
    "training_accelerators": "Accélérateurs d’entraînement",
    "inference_accelerators": "Accélérateurs d’inférence",
    "training_compute": "Calcul d’entraînement",
    "finetune_compute": "Calcul d’affinage",
    "mmlu": "MMLU",
    "mt_bench": "MT-bench",
    "lmarena_text_rank": "Rang LMArena (texte)",
    "architecture": "Architecture",
    "tokens_per_parameter": "Tokens par paramètre",
    "weights_memory": "Mémoire des poids",
    "training_peak_compute": "Calcul de crête à l’entraînement",
    "training_power": "Puissance à l’entraînement",
    "training_h100_equivalents": "Équivalents H100 à l’entraînement",
    "training_time_at_peak": "Durée d’entraînement (minimum, à la crête)",
    "training_duration": "Durée d’entraînement (déclarée)",
    "training_datapoints": "Exemples d’entraînement",
    "training_cost_usd2023": "Coût du calcul d’entraînement (USD de 2023)",
    "hardware_utilization": "Taux d’utilisation du matériel",
    "license": "Licence",
    "release": "Diffusion",
    "provenance": "Provenance",
    "base_model": "Modèle de base",
    "description": "Description",
    "development": "Développement",
    "training_data": "Données d’entraînement",
    "alignment": "Alignement",
    "rival_of": "Rival de",
    "same_class_as": "De la même catégorie que",
}

#: The renderers' own words.
WORDS_FR: dict[str, str] = {
    "Model": "Modèle",
    "Sources:": "Sources\u00a0:",
    "Notes:": "Notes\u00a0:",
    "Model comparison": "Comparaison de modèles",
    "(continued)": "(suite)",
    # the charts' own words (modelcompare.plot)
    "no ratio": "aucun rapport",
    "no figure": "aucun chiffre",
    "the sources contradict each other": "les sources se contredisent",
    "no count, only the unit": "aucun nombre, seulement l’unité",
    "no ratio can be taken": "aucun rapport ne peut être calculé",
    "no figure reported": "aucun chiffre rapporté",
    "no count given": "aucun nombre donné",
    "count of chips; kind in each label": "nombre de puces\u00a0; type dans chaque étiquette",
    "count": "nombre",
    "stated by a source": "donné par une source",
    "rumored": "rumeur",
    "derived": "calculé",
    "derived from a rumor": "calculé à partir d’une rumeur",
    "about: the source's rounding": "environ\u00a0: l’arrondi de la source",
    "a range": "une fourchette",
    "at least: no upper end": "au moins\u00a0: pas de borne haute",
    "at most: no lower end": "au plus\u00a0: pas de borne basse",
    "the month (or year) of the date": "le mois (ou l’année) de la date",
    "Date announced": "Date d’annonce",
    "Not shown:": "Non montrés\u00a0:",
    ":": "\u00a0:",
}

#: The legend's meanings, whole.
TEXT_FR: dict[str, str] = {
    "about (as rounded by the source)": "environ (arrondi par la source)",
    "at least (more than)": "au moins (plus de)",
    "at most (up to)": "au plus (jusqu’à)",
    "from a to b (a stated range, or every value a figure computed from others can take)": (
        "de a à b (une fourchette donnée, ou toutes les valeurs que peut prendre "
        "un chiffre calculé à partir d’autres)"
    ),
    "a figure the source does not give (it names only the unit)": (
        "un chiffre que la source ne donne pas (elle ne nomme que l’unité)"
    ),
    "the figure goes on: its first digits are shown, cut (not rounded); a figure "
    "computed from others, or with more digits than the column shows": (
        "le chiffre continue\u00a0: ses premiers chiffres sont montrés, tronqués (non "
        "arrondis)\u00a0; un chiffre calculé à partir d’autres, ou qui a plus de chiffres "
        "que la colonne n’en montre"
    ),
    "no figure reported": "aucun chiffre rapporté",
    "no ratio can be taken (a figure is missing, the two count different chips, "
    "the claims contradict each other, or the reference's figure is zero)": (
        "aucun rapport ne peut être calculé (un chiffre manque, les deux comptent des "
        "puces différentes, les affirmations se contredisent, ou le chiffre de "
        "référence est nul)"
    ),
    "the figures do not bound the ratio: either model's value may be the larger "
    "(as where both are only lower bounds)": (
        "les chiffres ne bornent pas le rapport\u00a0: la valeur de l’un ou l’autre "
        "modèle peut être la plus grande (comme lorsque les deux ne sont que des "
        "minimums)"
    ),
    "rumored (the value rests on claims the sources report as rumors)": (
        "rumeur (la valeur repose sur des affirmations que les sources rapportent "
        "comme des rumeurs)"
    ),
    "rumored (the figure rests on claims the sources report as rumors)": (
        "rumeur (le chiffre repose sur des affirmations que les sources rapportent "
        "comme des rumeurs)"
    ),
    "derived (computed by modelcompare from other figures)": (
        "calculé (par modelcompare, à partir d’autres chiffres)"
    ),
    "sources differ (their figures differ but are compatible; "
    "the value shown is the narrowest consistent with all)": (
        "les sources diffèrent (leurs chiffres diffèrent mais sont compatibles\u00a0; "
        "la valeur montrée est la plus étroite compatible avec tous)"
    ),
    "conflict (the sources contradict each other; every figure is shown)": (
        "conflit (les sources se contredisent\u00a0; tous les chiffres sont montrés)"
    ),
    "conflict (the figure contradicts another figure in the same cell)": (
        "conflit (le chiffre contredit un autre chiffre de la même cellule)"
    ),
    "partial ratio (it compares one kind of chip; a cell also names others)": (
        "rapport partiel (il ne compare qu’un type de puce\u00a0; une cellule en nomme d’autres)"
    ),
    "each claim's own figure, marks and sources (stated claims in the order of the data, "
    "then derived ones; claims with the same figure, status and sources shown once)": (
        "le chiffre, les marques et les sources de chaque affirmation (les affirmations "
        "des sources dans l’ordre des données, puis les calculées\u00a0; celles de mêmes "
        "chiffre, statut et sources, une seule fois)"
    ),
}

#: The legend's texts built from parts (model names, kinds of chip), as (pattern
#: of the English, the French), tried in order on each ``"; "``-separated part.
PATTERNS_FR: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), f)
    for p, f in (
        (r"^in a × (.+?) column, (.*)$", r"dans une colonne × \1, \2"),
        (r"^(.+) in a × column$", r"\1 dans une colonne ×"),
        (r"^the value divided by (.+)'s \(bounds carried through\)$",
         r"la valeur divisée par celle de \1 (bornes comprises)"),
        (r"^partial ratio: it ", "rapport partiel\u00a0: il "),
        (r"^it compares ", "il compare "),
        (r"compares (\S+) counts only$", r"ne compare que les nombres de \1"),
        (r"compares figures in (.+?) only$", r"ne compare que les chiffres en \1"),
        (r"^(.+?) also names (.+)$", r"\1 nomme aussi \2"),
        (r" with no count", " sans nombre"),
        (r" and (?=\S+ sans nombre)", " et "),
    )
)  # fmt: skip


def check_lang(lang: object) -> Lang:
    """``lang`` if it is one of :data:`LANGS`, else :class:`~modelcompare.InvalidValueError`."""
    if lang not in LANGS:
        raise InvalidValueError(f"lang must be one of {', '.join(LANGS)} (got {lang!r})")
    return lang


def translate(text: str, lang: Lang) -> str:
    """A legend's text in ``lang``: English as it is; French from :data:`TEXT_FR`,
    else each ``"; "``-separated part from :data:`TEXT_FR` or :data:`PATTERNS_FR`."""
    if lang == "en":
        return text
    if text in TEXT_FR:
        return TEXT_FR[text]
    parts = []
    for part in text.split("; "):
        if part in TEXT_FR:
            parts.append(TEXT_FR[part])
            continue
        for pattern, french in PATTERNS_FR:
            part = pattern.sub(french, part)
        for english, known in TEXT_FR.items():  # a known text inside (", <no ratio>")
            part = part.replace(english, known)
        parts.append(part)
    return "\u00a0; ".join(parts)


def word(text: str, lang: Lang) -> str:
    """One of the renderers' own words (``Model``, ``Sources:``…) in ``lang``."""
    return WORDS_FR.get(text, text) if lang == "fr" else text


def field_label(name: str, label: str, lang: Lang) -> str:
    """The header name of field ``name`` (English ``label``) in ``lang``."""
    return FIELD_LABELS_FR.get(name, label) if lang == "fr" else label


def rank_text(position: int, of: int | None, lang: Lang) -> str:
    """A rank as ``lang`` writes it: ``#13`` (en), ``13e`` / ``1er`` (fr)."""
    if lang == "en":
        return f"#{position}" + (f" of {of}" if of else "")
    return f"{position}{'er' if position == 1 else 'e'}" + (f" sur {of}" if of else "")
