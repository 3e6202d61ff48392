"""Adverse events of special interest (AESI) of this trial, recognised from the CTCAE term.

The trial record names AESIs among its outcomes ("Incidence of Treatment Related AEs, AEs of
special interest and serious adverse events (SAEs) assessed by NCI-CTCAE v5.0"). This module
lists which CTCAE v5.0 terms are the AESIs of an InO +/- DLI study after allo-HSCT: the
BESPONSA boxed warning (VOD/SOS) and warnings (infusion-related reactions, myelosuppression
with febrile neutropenia), and GVHD for DLI. CTCAE v5.0 has no GVHD term, so GVHD is recorded
under the verbatim terms below (graded with MAGIC/NIH on the GVHD forms).
"""

from __future__ import annotations

__all__ = [
    "AESI_CATEGORIES",
    "FEBRILE_NEUTROPENIA",
    "GVHD",
    "GVHD_TERMS",
    "HAEMATOLOGIC_TERMS",
    "INFUSION_REACTION",
    "VOD_SOS",
    "special_interest",
]

VOD_SOS = "vod_sos"
INFUSION_REACTION = "infusion_reaction"
FEBRILE_NEUTROPENIA = "febrile_neutropenia"
GVHD = "gvhd"

AESI_CATEGORIES = {
    VOD_SOS: "Hepatic veno-occlusive disease / sinusoidal obstruction syndrome",
    INFUSION_REACTION: "Infusion-related reaction",
    FEBRILE_NEUTROPENIA: "Febrile neutropenia",
    GVHD: "Graft-versus-host disease",
}

#: Verbatim terms for GVHD (not a CTCAE v5.0 term; graded on the aGVHD/cGVHD forms).
GVHD_TERMS = ("Acute graft versus host disease", "Chronic graft versus host disease")

_BY_TERM = {
    # CTCAE v5.0 "Sinusoidal obstruction syndrome" (Hepatobiliary disorders; MedDRA 10063675)
    "sinusoidal obstruction syndrome": VOD_SOS,
    # CTCAE v5.0 "Infusion related reaction" (Injury, poisoning and procedural; 10051792)
    "infusion related reaction": INFUSION_REACTION,
    # CTCAE v5.0 "Febrile neutropenia" (Blood and lymphatic system disorders; 10016288)
    "febrile neutropenia": FEBRILE_NEUTROPENIA,
    **{term.lower(): GVHD for term in GVHD_TERMS},
}

#: Terms of haematologic toxicity; the label never holds a dose within a cycle for these.
HAEMATOLOGIC_TERMS = frozenset(
    {
        "Neutrophil count decreased",
        "Platelet count decreased",
        "White blood cell decreased",
        "Lymphocyte count decreased",
        "Anemia",
        "Febrile neutropenia",
    }
)


def special_interest(term: str) -> str:
    """The AESI category of a CTCAE term ("" when it is not an AESI).

    Examples
    --------
    >>> special_interest("Sinusoidal obstruction syndrome")
    'vod_sos'
    >>> special_interest("Nausea")
    ''
    """
    return _BY_TERM.get(term.strip().lower(), "")
