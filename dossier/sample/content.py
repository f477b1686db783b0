"""What the sample case holds: people, documents, the letter, the press reply, quotes, marks.

The case is fiction modelled on publicly reported facts (an investigation by Disclose into the
police's use of the Video Synopsis software, the letter of four deputies of Haute-Garonne of
20 November 2023, a denial in La Dépêche du Midi, an interview on France 3 Occitanie). Every
sentence of the texts is our own; the words given to public figures are invented, and the
protected source, Corinne Valadier, does not exist. `resources/sample/README.txt` says so.

People and documents are named by a short key here; `dossier.sample.build` maps keys to ids.
"""

from __future__ import annotations

from dataclasses import dataclass

CASE_NAME = "Vidéosurveillance algorithmique (exemple)"
CASE_DESCRIPTION = (
    "Cas d’exemple livré avec Dossier : une enquête révèle l’emploi par la police d’un logiciel "
    "d’analyse d’images de vidéosurveillance ; quatre députés écrivent au directeur "
    "départemental de la sécurité publique ; un démenti paraît dans la presse régionale. "
    "Fiction inspirée de faits publics : les propos cités sont inventés."
)
PUBLISHED_ON = "2023-11-24"

SOURCE_NAME = "Corinne Valadier"
SOURCE_PSEUDONYM = "Source A"
SOURCE_SURNAME = "Valadier"


@dataclass(frozen=True)
class SamplePerson:
    key: str
    name: str
    role: str
    organisation: str = ""
    protection: str = "on_record"
    pseudonym: str = ""
    aliases: tuple[str, ...] = ()
    notes: str = ""


PEOPLE: tuple[SamplePerson, ...] = (
    SamplePerson("clouet", "Hadrien Clouet", "elected", "Député de la Haute-Garonne"),
    SamplePerson("bex", "Christophe Bex", "elected", "Député de la Haute-Garonne"),
    SamplePerson("stambach", "Anne Stambach", "elected", "Députée de la Haute-Garonne"),
    SamplePerson("piquemal", "François Piquemal", "elected", "Député de la Haute-Garonne"),
    SamplePerson(
        "ddsp",
        "Directeur départemental de la sécurité publique de la Haute-Garonne",
        "official",
        "Direction départementale de la sécurité publique de la Haute-Garonne",
        aliases=("DDSP 31",),
    ),
    SamplePerson(
        "leonard",
        "Patrick Léonard",
        "official",
        "Direction territoriale de police judiciaire de Toulouse",
        notes="Commissaire, chef de la police judiciaire à Toulouse.",
    ),
    SamplePerson(
        "source",
        SOURCE_NAME,
        "source",
        "Sécurité publique de la Haute-Garonne",
        protection="protected",
        pseudonym=SOURCE_PSEUDONYM,
        aliases=(f"brigadière {SOURCE_SURNAME}",),
        notes="Personne inventée pour l’exemple. A remis la note interne le 17 novembre 2023.",
    ),
)


@dataclass(frozen=True)
class SampleDocument:
    key: str
    file: str
    """A file of `resources/sample/`: a `.txt` in the sample markup becomes a PDF."""
    kind: str
    title: str
    date: str
    outlet: str = ""
    author: str = ""
    people: tuple[str, ...] = ()
    scanned: bool = False
    """Rendered as a picture only: its text must be read by OCR at import."""


DEPUTIES = ("clouet", "bex", "stambach", "piquemal")

ARTICLE = SampleDocument(
    "article",
    "article-enquete.txt",
    "article",
    "Vidéosurveillance : un logiciel d’analyse d’images employé par la police hors de tout "
    "cadre légal",
    "2023-11-14",
    outlet="Disclose",
)
LETTER = SampleDocument(
    "letter",
    "lettre-deputes.txt",
    "letter",
    "Courrier des députés au directeur départemental de la sécurité publique",
    "2023-11-20",
    author="Hadrien Clouet, Christophe Bex, Anne Stambach, François Piquemal",
    people=(*DEPUTIES, "ddsp"),
)
INTERVIEW = SampleDocument(
    "interview",
    "interview-clouet.txt",
    "interview",
    "Entretien avec Hadrien Clouet (transcription)",
    "2023-11-21",
    outlet="France 3 Occitanie",
    people=("clouet",),
)
PRESS = SampleDocument(
    "press",
    "article-depeche.txt",
    "article",
    "Logiciel d’analyse vidéo : la police judiciaire de Toulouse dément tout usage",
    "2023-11-22",
    outlet="La Dépêche du Midi",
    people=("leonard", *DEPUTIES),
)
MEMO = SampleDocument(
    "memo",
    "note-interne-scan.txt",
    "source",
    "Note interne sur le poste de relecture vidéo (scan)",
    "2023-11-17",
    people=("source",),
    scanned=True,
)
WORK_NOTE = SampleDocument(
    "work-note", "note-enquete.md", "note", "Note de travail : points à vérifier", "2023-11-15"
)
SOURCE_NOTE = SampleDocument(
    "source-note",
    "note-source.md",
    "note",
    "Rencontre avec Source A",
    "2023-11-17",
    people=("source",),
)

LETTER_SUBJECT = "Emploi d’un logiciel d’analyse des images de vidéosurveillance"
LETTER_SENT_ON = "2023-11-20"
LETTER_DEADLINE_WORKING_DAYS = 15
QUESTIONS: tuple[str, ...] = (
    "Depuis quelle date ce logiciel est-il en service dans les services placés sous votre "
    "autorité ?",
    "Quels services, et quels agents, en ont l’usage ?",
    "À quelles fins les images sont-elles analysées, et dans quelles procédures ces analyses "
    "ont-elles été versées ?",
    "Quelles autorités, à la préfecture comme au ministère, étaient informées de cet usage ?",
)

REPLY_RECEIVED_ON = "2023-11-22"
REPLY_VIA = "La Dépêche du Midi"
REPLY_ANSWERS: tuple[str, ...] = ("1:partly", "2:partly")
"""Question number and status: the denial covers the judicial police only."""
REPLY_SUMMARY = (
    "Le commissaire dément tout usage du logiciel par la police judiciaire de Toulouse. Le "
    "démenti ne dit rien de la sécurité publique, destinataire du courrier, ni des questions "
    "3 et 4."
)


@dataclass(frozen=True)
class SampleQuote:
    text: str
    speaker: str
    source: str
    said_on: str
    verdict: str
    """What anchoring must find: the sample shows each fidelity verdict once."""
    published_in: str | None = None
    notes: str = ""


QUOTES: tuple[SampleQuote, ...] = (
    SampleQuote(
        "Les agents qui l’utilisent ne sont pas notre cible ; ce que nous voulons connaître, "
        "c’est la chaîne de décision qui a conduit à l’acheter.",
        "clouet",
        "interview",
        "2023-11-21",
        "verbatim",
        notes="Citation exacte, prête pour notre article.",
    ),
    SampleQuote(
        "Un visage enregistré aujourd’hui peut permettre demain de pister quelqu’un […] "
        "sans qu’aucune règle ne l’encadre.",
        "clouet",
        "interview",
        "2023-11-21",
        "trimmed",
        notes="Coupe signalée par […] : le passage omis reste visible dans le contrôle.",
    ),
    SampleQuote(
        "Pour que les habitants fassent confiance à leur police, ils doivent savoir quelles "
        "missions secrètes elle mène.",
        "clouet",
        "interview",
        "2023-11-21",
        "altered",
        notes=(
            "Modifiée exprès pour l’exemple : « clairement » a disparu et « secrètes » a été "
            "ajouté. La vérification avant publication la signale."
        ),
    ),
    SampleQuote(
        "Ce programme, nos enquêteurs ne l'ont jamais employé : vous ne le trouverez sur aucun "
        "de nos postes",
        "leonard",
        "press",
        "2023-11-22",
        "normalized",
        published_in="press",
        notes="Saisie avec une apostrophe droite : seule la typographie diffère de la source.",
    ),
)

PERSON_REASON = "Source protégée : son nom et ses alias ne sortent jamais du coffre."
RECT_LINE_START = "Réf."
"""The memo line a rectangle hides: its reference would point to the source's office."""
RECT_REASON = "Référence interne qui désignerait le poste et le service de la source."


@dataclass(frozen=True)
class SampleEntry:
    when: str
    title: str
    kind: str
    people: tuple[str, ...] = ()


TIMELINE: tuple[SampleEntry, ...] = (
    SampleEntry(
        "2023-11-17", "Rencontre avec Source A : remise de la note interne", "meeting", ("source",)
    ),
    SampleEntry(
        "2023-11-21",
        "Entretien de France 3 Occitanie avec Hadrien Clouet",
        "interview",
        ("clouet",),
    ),
    SampleEntry(
        "2023-11-23",
        "Relance téléphonique de la direction départementale : pas de réponse à ce stade",
        "call",
        ("ddsp",),
    ),
)
