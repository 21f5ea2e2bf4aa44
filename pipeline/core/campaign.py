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

from .errors import UserError
from .texts import config as T
from .texts import fr
from .nomenclature import Nomenclature, default_nomenclature_dir, load_nomenclature

EMBEDDED = {"2007": "campagne_2007.toml"}
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


def resolve_campaign_path(ref: str, root: Path) -> Path:
    """A campaign reference is a .toml path, or an identifier found in campagnes/ or embedded."""
    candidate = Path(ref)
    if candidate.suffix.lower() == ".toml" or candidate.is_file():
        if not candidate.is_file():
            raise UserError(fr(T.CAMPAIGN_MISSING, chemin=candidate))
        return candidate
    local = Path(root) / CAMPAIGNS_DIR / f"{ref}.toml"
    if local.is_file():
        return local
    if ref in EMBEDDED:
        return embedded_campaign_path(ref)
    known = sorted({p.stem for p in (Path(root) / CAMPAIGNS_DIR).glob("*.toml")} | set(EMBEDDED))
    raise UserError(fr(T.CAMPAIGN_UNKNOWN, ref=ref), [fr(T.CAMPAIGN_KNOWN, liste=", ".join(known)), T.CAMPAIGN_CREATE])


def _require(table: dict, key: str, kind: type | tuple, where: str, problems: list[str]):
    value = table.get(key)
    if value is None:
        problems.append(fr(T.KEY_MISSING, ou=where, cle=key))
    elif not isinstance(value, kind) or (isinstance(value, dt.datetime) and kind is dt.date):
        expected = {dt.date: T.EXPECTED_DATE, str: T.EXPECTED_TEXT}
        problems.append(fr(T.KEY_TYPE, ou=where, cle=key, attendu=expected.get(kind, str(kind)), valeur=value))
    elif isinstance(value, str) and not value.strip():
        problems.append(fr(T.KEY_EMPTY, ou=where, cle=key))
    return value


def load_campaign(ref: str | Path = "2007", root: str | Path = ".") -> Campaign:
    """Load and check a campaign (a path to a TOML file, or an identifier)."""
    path = resolve_campaign_path(str(ref), Path(root))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise UserError(fr(T.CAMPAIGN_UNREADABLE, chemin=path, erreur=err)) from None
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
    if problems:
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
        secret=secret,
    )


def _secret(section, problems: list[str]) -> dict:
    """The [secret] section, checked, with its defaults."""
    if section is not None and not isinstance(section, dict):
        problems.append(T.SECRET_SECTION)
    section = section if isinstance(section, dict) else {}
    freq, dom = section.get("frequence_min", 3), section.get("dominance", 0.85)
    p, rule, cost = section.get("p", 10), section.get("regle", "dominance"), section.get("cout", "effectif")
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
) -> str:
    """The text of a commented campaign file."""
    text = T.CAMPAIGN_FILE.format(
        identifiant=_toml_str(identifiant), libelle=_toml_str(libelle), date_arrete=date_arrete.isoformat(),
        date_limite=date_limite.isoformat(), nomenclature=_toml_str(nomenclature),
        precedente=f"precedente = {_toml_str(precedente)}" if precedente else T.NO_PREVIOUS,
        **{k: _toml_str(contact.get(k, "")) for k in ("nom", "email", "telephone", "retour")})
    lines = [text.rstrip("\n")]
    for sid, name, *rest in societes:
        company_contact, email, group = (list(rest) + ["", "", ""])[:3]
        lines += ["", "[[societes]]", f"identifiant = {_toml_str(sid)}", f"raison_sociale = {_toml_str(name)}"]
        lines += [f"contact = {_toml_str(company_contact)}", f"email = {_toml_str(email)}"] if company_contact or email \
            else []
        lines += [f"groupe = {_toml_str(group)}"] if group else []
    return "\n".join(lines) + "\n"


def new_campaign_file(
    identifiant: str,
    root: str | Path = ".",
    depuis: str = "2007",
    date_arrete: dt.date | None = None,
    date_limite: dt.date | None = None,
    libelle: str | None = None,
) -> Path:
    """Write campagnes/<identifiant>.toml from a previous campaign's companies and contact."""
    if not identifiant.strip():
        raise UserError(T.NEW_CAMPAIGN_ID)
    dest = Path(root) / CAMPAIGNS_DIR / f"{slug(identifiant)}.toml"
    if dest.exists():
        raise UserError(fr(T.NEW_CAMPAIGN_EXISTS, chemin=dest))
    previous = load_campaign(depuis, root)
    date_arrete = date_arrete or dt.date(dt.date.today().year, 7, 1)
    date_limite = date_limite or date_arrete + dt.timedelta(days=90)
    libelle = libelle or fr(T.NEW_CAMPAIGN_LABEL, date=date_arrete)
    default = previous.nomenclature.source == str(default_nomenclature_dir())
    nomenclature = "defaut" if default else previous.nomenclature.source
    text = campaign_toml(
        identifiant, libelle, date_arrete, date_limite, previous.contact,
        list(previous.societes[["identifiant", "raison_sociale", "contact", "email", "groupe"]].itertuples(
            index=False, name=None)),
        nomenclature, precedente=previous.identifiant,
    )
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text, encoding="utf-8")
    load_campaign(dest, root)  # what we write must load
    return dest
