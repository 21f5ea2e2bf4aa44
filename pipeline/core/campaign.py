"""The campaign: label, reference date, deadline, contact, companies, nomenclature.

Entry point: :func:`load_campaign`. A campaign is a TOML file that the secretary edits; the
2007 campaign of the 9 SNSA member companies is embedded in the package. :func:`new_campaign_file`
writes a new, commented one to edit.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from .breakdowns import Inputs, breakdowns_toml, parse_breakdowns
from .errors import UserError, toml_error
from .nomenclature import Nomenclature, default_nomenclature_dir, load_nomenclature, relative_folder
from .texts import config as T
from .texts import fr

DEMO_CAMPAIGN = "2007"
DEMO_BREAKDOWNS = "2009"  # the fictional second campaign of the demo, asking every breakdown and ETP
EMBEDDED = {DEMO_CAMPAIGN: "campagne_2007.toml", DEMO_BREAKDOWNS: "campagne_2009.toml"}
DEMO_MARKER = ".demo"  # marks the demo's own folder
CAMPAIGNS_DIR = "campagnes"
TEMPLATES_DIR = "templates_xlsx"
INPUTS_DIR = "inputs"
OUTPUTS_DIR = "outputs"

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}


def slug(text: str, max_length: int = 60) -> str:
    """A file-name part safe on Windows, macOS and Linux: ASCII letters, digits, '-' and '_'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^A-Za-z0-9_]+", "-", ascii_text).strip("-_").lower()[:max_length].strip("-_")
    if not s:
        s = "x"
    if s in _WINDOWS_RESERVED:
        s += "_"
    return s


@dataclass(frozen=True)
class Campaign:
    identifiant: str
    libelle: str
    date_arrete: dt.date
    date_limite: dt.date
    contact: dict[str, str]
    societes: pd.DataFrame  # identifiant, raison_sociale, contact, email, groupe ("" or holding group), fichier
    nomenclature: Nomenclature
    source: str
    precedente: str | None = None  # identifier of the previous campaign, for N−1 figures and evolution
    secret: dict = field(default_factory=dict)  # [secret]: frequence_min, dominance, p, regle, cout
    saisie: Inputs = field(default_factory=Inputs)  # [[ventilations]] and [saisie]: breakdowns and ETP asked
    nomenclature_precedente: Nomenclature | None = None  # the previous campaign's when another: see previous_campaign

    @property
    def dossier(self) -> str:
        """The campaign's folder name under templates_xlsx/, inputs/ and outputs/."""
        return slug(self.identifiant)

    def templates_dir(self, root: Path) -> Path:
        return Path(root) / TEMPLATES_DIR / self.dossier

    def inputs_dir(self, root: Path) -> Path:
        return Path(root) / INPUTS_DIR / self.dossier

    def outputs_dir(self, root: Path) -> Path:
        return Path(root) / OUTPUTS_DIR / self.dossier

    @functools.cached_property
    def company_ids(self) -> frozenset[str]:
        return frozenset(self.societes["identifiant"])

    @functools.cached_property
    def names(self) -> dict[str, str]:
        """Company id -> raison sociale."""
        return dict(zip(self.societes["identifiant"], self.societes["raison_sociale"]))

    def raison_sociale(self, identifiant: str) -> str:
        return self.names.get(identifiant, identifiant)

    def template_name(self, identifiant: str) -> str:
        """The file name of a company's template."""
        return f"effectifs_{slug(self.identifiant)}_{slug(identifiant)}.xlsx"

    def contact_parts(self) -> list[str]:
        """Name, e-mail and telephone of the campaign's contact, those given."""
        return [p for p in (self.contact.get(k, "") for k in ("nom", "email", "telephone")) if p]

    def contact_text(self) -> str:
        return " — ".join(self.contact_parts())


def embedded_campaign_path(identifiant: str) -> Path:
    return Path(str(resources.files("pipeline") / "data" / EMBEDDED[identifiant]))


def is_demo_root(root: str | Path) -> bool:
    """The demo's own folder (``effectifs demo`` writes it): the only place its campaign is known."""
    return (Path(root) / DEMO_MARKER).is_file()


def campaign_files(root: str | Path) -> list[Path]:
    """The campaign files of a project (campagnes/*.toml): the real campaigns."""
    return sorted((Path(root) / CAMPAIGNS_DIR).glob("*.toml"))


def latest_campaign(root: str | Path) -> Campaign | None:
    """The project's campaign with the latest reference date, None when there is none."""
    campaigns = [load_campaign(path, root) for path in campaign_files(root)]
    return max(campaigns, key=lambda c: (c.date_arrete, c.identifiant), default=None)


def default_campaign(root: str | Path) -> Campaign:
    """The campaign a command works on when none is named: the project's latest one (loaded once: a campaign of
    thousands of companies is a large file), or in the demo's folder the demo's."""
    latest = latest_campaign(root)
    if latest is not None:
        return latest
    if is_demo_root(root):
        return load_campaign(DEMO_CAMPAIGN, root)
    raise UserError(T.NO_CAMPAIGN, [T.CAMPAIGN_CREATE, T.DEMO_HINT])


def _declared_identifier(path: Path) -> str | None:
    """The identifier a campaign file declares; None when it cannot be read (its errors are reported when it is
    the one asked for)."""
    try:
        return str(tomllib.loads(path.read_text(encoding="utf-8")).get("campagne", {}).get("identifiant", ""))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError):
        return None


def resolve_campaign_path(ref: str, root: Path) -> Path:
    """A campaign reference is a .toml path (or the name of one in campagnes/), or an identifier found in
    campagnes/ — or, in the demo's folder only, the demo campaign embedded in the package."""
    candidate = Path(ref)
    local = Path(root) / CAMPAIGNS_DIR
    if candidate.is_file():
        return candidate
    if candidate.suffix.lower() == ".toml":
        if (local / candidate.name).is_file():
            return local / candidate.name
        raise UserError(fr(T.CAMPAIGN_MISSING, chemin=candidate))
    for name in (f"{ref}.toml", f"{slug(ref)}.toml"):
        if (local / name).is_file():
            return local / name
    for path in campaign_files(root):  # a file named otherwise, declaring this identifier
        if _declared_identifier(path) == ref:
            return path
    if ref in EMBEDDED and is_demo_root(root):
        return embedded_campaign_path(ref)
    known = [p.stem for p in campaign_files(root)]
    details = [fr(T.CAMPAIGN_KNOWN, liste=", ".join(known))] if known else []
    if ref in EMBEDDED:
        details.append(T.DEMO_ELSEWHERE)
    raise UserError(fr(T.CAMPAIGN_UNKNOWN, ref=ref), [*details, T.CAMPAIGN_CREATE])


def _french_date(value: object) -> object:
    """A date written between quotes the French way ("01/07/2027") is a date too."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,2}/\d{1,2}/\d{4}\s*", value):
        try:
            return dt.datetime.strptime(value.strip(), "%d/%m/%Y").date()
        except ValueError:
            return value
    return value


def _require(table: dict, key: str, kind: type | tuple, where: str, problems: list[str]):
    value = table.get(key)
    if kind is dt.date:
        value = _french_date(value)
    if value is None:
        problems.append(fr(T.KEY_MISSING, ou=where, cle=key))
    elif not isinstance(value, kind) or (isinstance(value, dt.datetime) and kind is dt.date):
        expected = {dt.date: T.EXPECTED_DATE, str: T.EXPECTED_TEXT}
        problems.append(fr(T.KEY_TYPE, ou=where, cle=key, attendu=expected.get(kind, str(kind)), valeur=value))
    elif isinstance(value, str) and not value.strip():
        problems.append(fr(T.KEY_EMPTY, ou=where, cle=key))
    return value


def load_campaign(ref: str | Path, root: str | Path = ".") -> Campaign:
    """Load and check a campaign (a path to a TOML file, or an identifier)."""
    path = resolve_campaign_path(str(ref), Path(root))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise UserError(fr(T.CAMPAIGN_UNREADABLE, chemin=path, erreur=toml_error(str(err))), [T.TOML_HELP]) from None
    except UnicodeDecodeError:
        raise UserError(fr(T.CAMPAIGN_ENCODING, chemin=path)) from None

    problems: list[str] = []
    camp = data.get("campagne") or {}
    if not isinstance(camp, dict) or not camp:
        problems.append(T.SECTION_CAMPAIGN_MISSING)
        camp = {}
    ident = _require(camp, "identifiant", str, "[campagne]", problems)
    libelle = _require(camp, "libelle", str, "[campagne]", problems)
    date_arrete = _require(camp, "date_arrete", dt.date, "[campagne]", problems)
    date_limite = _require(camp, "date_limite", dt.date, "[campagne]", problems)
    contact = data.get("contact") or {}
    if not isinstance(contact, dict) or not str(contact.get("nom", "")).strip():
        problems.append(T.CONTACT_NAME_MISSING)
        contact = contact if isinstance(contact, dict) else {}

    societes = data.get("societes") or []
    rows = []
    for i, soc in enumerate(societes, start=1):
        where = fr(T.COMPANY_WHERE, n=i)
        if not isinstance(soc, dict):
            problems.append(fr(T.COMPANY_FORMAT, ou=where))
            continue
        sid = _require(soc, "identifiant", str, where, problems)
        name = _require(soc, "raison_sociale", str, where, problems)
        group = soc.get("groupe", "")
        if not isinstance(group, str):
            problems.append(fr(T.COMPANY_GROUP, ou=where, valeur=group))
            group = ""
        if isinstance(sid, str) and isinstance(name, str) and sid.strip() and name.strip():
            rows.append({"identifiant": sid.strip(), "raison_sociale": name.strip(),
                         "contact": str(soc.get("contact", "")).strip(), "email": str(soc.get("email", "")).strip(),
                         "groupe": " ".join(group.split())})
    if not societes:
        problems.append(T.NO_COMPANY)
    df = pd.DataFrame(rows, columns=["identifiant", "raison_sociale", "contact", "email", "groupe"])
    for col, label in T.COMPANY_FIELDS.items():
        dup = df[col][df[col].duplicated()]
        for value in dup:
            problems.append(fr(T.COMPANY_DUPLICATE, champ=label, valeur=value))
    slugs = df["identifiant"].map(slug)
    for value in slugs[slugs.duplicated()]:
        problems.append(fr(T.COMPANY_SAME_FILE, valeur=value))
    for value in sorted(set(df["identifiant"]) & set(df["groupe"])):
        problems.append(fr(T.COMPANY_GROUP_NAME, valeur=value))
    secret = _secret(data.get("secret"), problems)
    if (saisie := parse_breakdowns(data, problems)) and problems:
        raise UserError(fr(T.CAMPAIGN_INVALID, chemin=path), problems)

    nom_ref = str(camp.get("nomenclature", "defaut")).strip()
    if nom_ref in T.DEFAULT_NOMENCLATURE:
        nomenclature = load_nomenclature()
    else:
        nom_path = Path(nom_ref)
        if not nom_path.is_absolute():
            nom_path = path.parent / nom_path
        nomenclature = load_nomenclature(nom_path)

    df["fichier"] = [f"effectifs_{slug(ident.strip())}_{slug(s)}.xlsx" for s in df["identifiant"]]
    return Campaign(
        identifiant=ident.strip(),
        libelle=libelle.strip(),
        date_arrete=date_arrete,
        date_limite=date_limite,
        contact={k: str(v).strip() for k, v in contact.items()},
        societes=df,
        nomenclature=nomenclature,
        source=str(path),
        precedente=str(camp["precedente"]).strip() if str(camp.get("precedente", "")).strip() else None,
        secret=secret, saisie=saisie,
    )


# The [secret] settings a campaign file leaves out (compute.secret.SecretRules says what each is).
SECRET_DEFAULTS = {"frequence_min": 3, "dominance": 0.85, "p": 10.0, "regle": "dominance", "cout": "effectif"}


def _secret(section, problems: list[str]) -> dict:
    """The [secret] section, checked, with its defaults."""
    if section is not None and not isinstance(section, dict):
        problems.append(T.SECRET_SECTION)
    section = {**SECRET_DEFAULTS, **(section if isinstance(section, dict) else {})}
    freq, dom, p, rule, cost = (section[k] for k in ("frequence_min", "dominance", "p", "regle", "cout"))
    if not isinstance(freq, int) or isinstance(freq, bool) or freq < 1:
        problems.append(fr(T.SECRET_FREQUENCY, valeur=freq))
    if not isinstance(dom, (int, float)) or isinstance(dom, bool) or not 0 < dom <= 1:
        problems.append(fr(T.SECRET_DOMINANCE, valeur=dom))
    if not isinstance(p, (int, float)) or isinstance(p, bool) or not 0 < p < 100:
        problems.append(fr(T.SECRET_P, valeur=p))
    if rule not in T.SECRET_RULES:
        problems.append(fr(T.SECRET_RULE, valeur=rule))
    if cost not in T.SECRET_COSTS:
        problems.append(fr(T.SECRET_COST, valeur=cost))
    return {"frequence_min": freq, "dominance": float(dom) if isinstance(dom, (int, float)) else dom,
            "p": float(p) if isinstance(p, (int, float)) else p, "regle": rule, "cout": cost}


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def campaign_toml(
    identifiant: str,
    libelle: str,
    date_arrete: dt.date,
    date_limite: dt.date,
    contact: dict[str, str],
    societes: list[tuple],
    nomenclature: str = "defaut",
    precedente: str | None = None,
    saisie: Inputs | None = None,
) -> str:
    """The text of a commented campaign file."""
    text = T.CAMPAIGN_FILE.format(
        identifiant=_toml_str(identifiant), libelle=_toml_str(libelle), date_arrete=date_arrete.isoformat(),
        date_limite=date_limite.isoformat(), nomenclature=_toml_str(nomenclature),
        precedente=f"precedente = {_toml_str(precedente)}" if precedente else T.NO_PREVIOUS,
        **{k: _toml_str(contact.get(k, "")) for k in ("nom", "email", "telephone", "retour")})
    lines = [text.rstrip("\n")]
    lines += [breakdowns_toml(saisie).rstrip("\n")] if saisie is not None and saisie.any else []
    for sid, name, *rest in societes:
        company_contact, email, group = (list(rest) + ["", "", ""])[:3]
        lines += ["", "[[societes]]", f"identifiant = {_toml_str(sid)}", f"raison_sociale = {_toml_str(name)}"]
        lines += [f"contact = {_toml_str(company_contact)}", f"email = {_toml_str(email)}"] if company_contact or email \
            else []
        lines += [f"groupe = {_toml_str(group)}"] if group else []
    return "\n".join(lines) + "\n"


def default_reference_date(identifiant: str, today: dt.date | None = None) -> dt.date:
    """1 July of the year the identifier names (2028 -> 2028-07-01); otherwise the next 1 July."""
    today = today or dt.date.today()
    if re.fullmatch(r"(19|20)\d\d", identifiant.strip()):
        return dt.date(int(identifiant), 7, 1)
    july = dt.date(today.year, 7, 1)
    return july if july >= today else dt.date(today.year + 1, 7, 1)


def new_campaign_file(
    identifiant: str,
    root: str | Path = ".",
    depuis: str | None = None,
    date_arrete: dt.date | None = None,
    date_limite: dt.date | None = None,
    libelle: str | None = None,
) -> Path:
    """Write campagnes/<identifiant>.toml, with the companies and contact of the campaign it follows:
    ``depuis``, or the project's latest campaign. A first campaign lists the SNSA member companies with
    contacts to complete, and follows no campaign (the demo's figures are never anyone's N−1)."""
    if not identifiant.strip():
        raise UserError(T.NEW_CAMPAIGN_ID)
    dest = Path(root) / CAMPAIGNS_DIR / f"{slug(identifiant)}.toml"
    if dest.exists():
        raise UserError(fr(T.NEW_CAMPAIGN_EXISTS, chemin=dest))
    previous = load_campaign(depuis, root) if depuis else latest_campaign(root)
    date_arrete = date_arrete or default_reference_date(identifiant)
    date_limite = date_limite or date_arrete + dt.timedelta(days=90)
    libelle = libelle or fr(T.NEW_CAMPAIGN_LABEL, date=date_arrete)
    if previous is None:  # the first campaign of the project
        members = load_campaign(embedded_campaign_path(DEMO_CAMPAIGN), root)
        contact = {"nom": T.TO_COMPLETE, "email": T.TO_COMPLETE_EMAIL, "telephone": "", "retour": T.DEFAULT_RETURN}
        societes = [(sid, name, "", "") for sid, name in zip(members.societes["identifiant"],
                                                            members.societes["raison_sociale"])]
        nomenclature, precedente, saisie = "defaut", None, None
    else:
        contact = previous.contact
        societes = list(previous.societes[["identifiant", "raison_sociale", "contact", "email", "groupe"]]
                        .itertuples(index=False, name=None))
        default = previous.nomenclature.source == str(default_nomenclature_dir())
        nomenclature = "defaut" if default else relative_folder(previous.nomenclature.source, dest.parent, root)
        precedente, saisie = previous.identifiant, previous.saisie
    text = campaign_toml(identifiant, libelle, date_arrete, date_limite, contact, societes, nomenclature,
                         precedente=precedente, saisie=saisie)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text, encoding="utf-8")
    load_campaign(dest, root)  # what we write must load
    return dest


_PLACEHOLDER = re.compile(T.PLACEHOLDER_PATTERN, re.I)


def readiness_problems(campaign: Campaign, today: dt.date | None = None) -> list[str]:
    """What must be fixed in the campaign file before templates or e-mails go to the companies:
    placeholder contacts, a deadline already past."""
    today = today or dt.date.today()
    problems = []
    for key in ("nom", "email"):
        value = campaign.contact.get(key, "")
        if not value.strip() or _PLACEHOLDER.search(value):
            problems.append(fr(T.READY_CONTACT, cle=key, valeur=value or T.EMPTY))
    for soc in campaign.societes.itertuples(index=False):
        if _PLACEHOLDER.search(soc.email or "") or _PLACEHOLDER.search(soc.contact or ""):
            problems.append(fr(T.READY_COMPANY, societe=soc.raison_sociale, valeur=soc.email or soc.contact))
    if campaign.date_limite < today:
        problems.append(fr(T.READY_DEADLINE, date=campaign.date_limite))
    return problems
