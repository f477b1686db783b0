"""Where a letter's recipient is: the public holidays its working-day deadline skips.

Each jurisdiction is a code Dossier stores on the letter ("FR", "FR-AM", "CH-GE"...) and the
country and subdivision the `holidays` library knows it by. A letter that names none (every
letter written before jurisdictions existed) follows metropolitan France, as it always did.
"""

from __future__ import annotations

from dossier.errors import UsageError
from dossier.i18n import N_, _
from dossier.services.letters.dto import DEFAULT_JURISDICTION, Jurisdiction

_CANTONS = {
    "AG": "Aargau", "AI": "Appenzell Innerrhoden", "AR": "Appenzell Ausserrhoden",
    "BE": "Bern", "BL": "Basel-Landschaft", "BS": "Basel-Stadt", "FR": "Fribourg",
    "GE": "Genève", "GL": "Glarus", "GR": "Graubünden", "JU": "Jura", "LU": "Luzern",
    "NE": "Neuchâtel", "NW": "Nidwalden", "OW": "Obwalden", "SG": "St. Gallen",
    "SH": "Schaffhausen", "SO": "Solothurn", "SZ": "Schwyz", "TG": "Thurgau", "TI": "Ticino",
    "UR": "Uri", "VD": "Vaud", "VS": "Valais", "ZG": "Zug", "ZH": "Zürich",
}  # fmt: skip

JURISDICTIONS: tuple[Jurisdiction, ...] = (
    Jurisdiction("FR", N_("France (metropolitan)"), "FR"),
    # Moselle (57) and Alsace (6AE) keep the same two extra days: Good Friday and 26 December.
    Jurisdiction("FR-AM", N_("France: Alsace-Moselle"), "FR", "57"),
    Jurisdiction("FR-GP", N_("France: Guadeloupe"), "FR", "971"),
    Jurisdiction("FR-MQ", N_("France: Martinique"), "FR", "972"),
    Jurisdiction("FR-GF", N_("France: Guyane"), "FR", "973"),
    Jurisdiction("FR-RE", N_("France: La Réunion"), "FR", "974"),
    Jurisdiction("FR-YT", N_("France: Mayotte"), "FR", "976"),
    Jurisdiction("BE", N_("Belgium"), "BE"),
    Jurisdiction("LU", N_("Luxembourg"), "LU"),
    *(
        Jurisdiction(f"CH-{code}", f"Switzerland: {name}", "CH", code)
        for code, name in _CANTONS.items()
    ),
    Jurisdiction("CA-QC", N_("Canada: Québec"), "CA", "QC"),
    Jurisdiction("CA", N_("Canada (federal)"), "CA"),
    Jurisdiction("GB-ENG", N_("United Kingdom: England"), "GB", "ENG"),
    Jurisdiction("GB-WLS", N_("United Kingdom: Wales"), "GB", "WLS"),
    Jurisdiction("GB-SCT", N_("United Kingdom: Scotland"), "GB", "SCT"),
    Jurisdiction("GB-NIR", N_("United Kingdom: Northern Ireland"), "GB", "NIR"),
    Jurisdiction("US", N_("United States (federal)"), "US"),
)
_BY_CODE = {j.code: j for j in JURISDICTIONS}


def jurisdiction(code: str | None) -> Jurisdiction:
    """The jurisdiction of `code` (any case); None or "" is the default (metropolitan France)."""
    key = (code or DEFAULT_JURISDICTION).strip().upper()
    found = _BY_CODE.get(key)
    if found is None:
        raise UsageError(
            _(
                "unknown jurisdiction {code}; choose one of {BY_CODE} (`dossier letter "
                "jurisdictions` lists them with their names)"
            ).format(code=repr(code), BY_CODE=", ".join(_BY_CODE))
        )
    return found


def check_jurisdiction(code: str | None) -> str:
    """The canonical code of `code`, or UsageError saying which codes exist."""
    return jurisdiction(code).code


def place_name(place: Jurisdiction) -> str:
    """The jurisdiction's name in the user's language (Swiss cantons keep their own names)."""
    if place.country == "CH":
        canton = place.label.split(": ", 1)[-1]
        return _("Switzerland: {canton}").format(canton=canton)
    return _(place.label)
