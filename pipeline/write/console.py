"""What the command line prints: lines of French text made from the frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..check.batch import Checked
from ..compute.consolidation import Consolidation
from ..compute.evaluation import Evaluation, summary
from ..compute.status import by_urgency, counts, sort_key
from ..check.entries import classify
from ..core import form
from ..core.campaign import Campaign
from ..core.texts import console as C
from ..core.texts import datetime as fr_datetime
from ..core.texts import fr
from ..core.texts import names as name_list
from ..core.texts import labels as L
from ..core.texts.messages import rendered
from ..core.vocab import Level, Status
from ..read.folder import entries
from .control import task_lines
from .refresh import CHANGED, NEW, PROP_PREFIX, RETIRED_DIR, UNCHANGED, Retired, Written


def check_lines(checked: Checked, retenues: pd.DataFrame | None = None) -> list[str]:
    """The status of every entry of the input folder, with its problems; ``retenues``: the history's retained
    submissions (a company whose accepted file left the folder is not « sans retour »)."""
    f = checked.fichiers
    n = {s: int((f["statut"] == s).sum()) for s in Status}
    lines = [
        fr(C.CHECK_SUMMARY, campagne=checked.campaign.identifiant, elements=len(f), acceptes=n[Status.ACCEPTED],
           avertis=n[Status.WARNED], rejetes=n[Status.REJECTED], ignores=n[Status.IGNORED]),
        fr(C.CHECK_ACCEPTED, acceptees=len(checked.acceptees), attendues=len(checked.campaign.societes)),
    ]
    messages = rendered(checked.messages)
    messages_of: dict[str, list[tuple]] = {}  # plain rows, grouped once (not a pandas group per file)
    for fichier, *row in zip(*(messages[c] for c in ("fichier", "feuille", "cellule", "gravite", "message"))):
        messages_of.setdefault(fichier, []).append(row)
    names = checked.campaign.names
    for fichier, societe, statut in zip(f["fichier"], f["societe"], f["statut"]):
        who = fr(C.CHECK_WHO, societe=names[societe]) if societe in names else ""
        lines.append(fr(C.CHECK_FILE, statut=statut, fichier=fichier, qui=who))
        for feuille, cellule, gravite, message in messages_of.get(fichier, []):
            where = "!".join(x for x in (feuille, cellule) if x)
            lines.append(fr(C.CHECK_MESSAGE, gravite=gravite, ou=" " + where if where else "", message=message))
    missing, kept = checked.absent(retenues)
    if len(missing):
        lines.append(fr(C.CHECK_MISSING, societes=name_list(missing["raison_sociale"])))
    if len(kept):
        lines.append(fr(C.CHECK_KEPT, societes=name_list(
            fr(C.CHECK_KEPT_ONE, societe=k.raison_sociale, fichier=k.fichier, recu=k.recu_le)
            for k in kept.itertuples(index=False))))
    return lines


def consolidation_lines(conso: Consolidation) -> list[str]:
    """What a consolidation holds, and a warning when companies expected are not in it: its figures, its published
    edition and their evolution are then those of the companies retained only."""
    table = conso.table.set_index("niveau")
    lines = [fr(C.CONSOLIDATED, societes=len(conso.retenues), attendues=len(conso.campaign.societes),
                branche=int(table.loc[Level.BRANCHE, "effectif"]), nv=int(table.loc[Level.NON_VENTILES, "effectif"]),
                **masked_counts(conso))]
    if len(conso.absentes):
        absent = conso.absentes["raison_sociale"]
        lines.append(fr(C.CONSOLIDATED_PARTIAL, n=len(absent), noms=name_list(absent)))
    return lines


def masked_counts(conso: Consolidation) -> dict[str, object]:
    """The cells the published edition masks: ``masquees`` in the main table, ``repartitions`` the total with the
    breakdowns' when they add some (:data:`~pipeline.core.texts.console.MASKED_IN_ALL`), "" otherwise."""
    p = conso.protection
    main, every = (0, 0) if p is None else (len(p.masked), len(p.hidden))
    return {"masquees": main, "repartitions": fr(C.MASKED_IN_ALL, n=every) if every > main else ""}


TASKS_SHOWN = 10


def tasks_lines(checked: Checked, tasks: pd.DataFrame, retenues: pd.DataFrame | None = None) -> list[str]:
    """What the secretary settles, at most :data:`TASKS_SHOWN` lines (the rest is in the control report);
    ``retenues``: see :func:`~.control.task_lines`."""
    if tasks.empty:
        return []
    lines = [C.TASKS_HEAD]
    for company, files, action in task_lines(checked, tasks, retenues)[:TASKS_SHOWN]:
        lines.append(fr(C.TASK_LINE, quoi=" — ".join(x for x in (company, files) if x), action=action))
    if len(tasks) > TASKS_SHOWN:
        lines.append(fr(C.TASKS_MORE, n=len(tasks) - TASKS_SHOWN, feuille=L.CONTROL_SHEET_TASKS))
    return lines


def status_lines(campaign: Campaign, status: pd.DataFrame) -> list[str]:
    """The dashboard as a table for a terminal."""
    lines = [fr(C.STATUS_HEAD, campagne=campaign.identifiant, date=campaign.date_limite),
             " ; ".join(f"{k} : {v}" for k, v in counts(status).items())]
    widths = [28, 38, 8, 17, 10]
    lines.append("  ".join(h.ljust(w) for h, w in zip(C.STATUS_COLUMNS, widths)) + C.STATUS_CONTACT)
    for r in by_urgency(status).itertuples(index=False):
        cells = [r.raison_sociale, r.statut, str(r.fichiers_recus), fr_datetime(r.recu_le), C.YES if r.en_retard else C.NO]
        lines.append("  ".join(str(v)[:w].ljust(w) for v, w in zip(cells, widths))
                     + " — ".join(x for x in (r.contact, r.email) if x))
    return lines


def template_lines(campaign: Campaign, root: Path, written: list[Written], retired: list[Retired],
                   note: str = "", drafts: Path | None = None) -> list[str]:
    """What ``modeles`` did, company by company (by raison sociale): new, changed and why, unchanged, moved
    aside; then ``note`` (on the N−1 column), where the e-mails that send them are, and what to do next."""
    folder = campaign.templates_dir(root)
    lines = [fr(C.TEMPLATES_FOLDER, campagne=campaign.identifiant, dossier=folder)]
    by_state = {state: sorted((w for w in written if w.state == state), key=lambda w: sort_key(_name(campaign, w)))
                for state in (NEW, CHANGED, UNCHANGED)}
    if by_state[NEW]:
        lines.append(fr(C.TEMPLATES_NEW, n=len(by_state[NEW])))
        lines += [fr(C.TEMPLATE_LINE, societe=_name(campaign, w), fichier=w.path.name) for w in by_state[NEW]]
    if by_state[CHANGED]:
        lines.append(fr(C.TEMPLATES_CHANGED, n=len(by_state[CHANGED])))
        lines += [fr(C.TEMPLATE_LINE_WHY, societe=_name(campaign, w), fichier=w.path.name, motifs=_reasons(w))
                  for w in by_state[CHANGED]]
    if by_state[UNCHANGED]:
        lines.append(fr(C.TEMPLATES_UNCHANGED, n=len(by_state[UNCHANGED]),
                        societes=", ".join(_name(campaign, w) for w in by_state[UNCHANGED])))
    if retired:
        lines.append(fr(C.TEMPLATES_RETIRED, n=len(retired), dossier=folder / RETIRED_DIR))
        lines += [fr(C.TEMPLATE_LINE_WHY, societe=r.name, fichier=r.path.name,
                     motifs=fr(C.TEMPLATE_RENAMED, nouveau=r.renamed_to) if r.renamed_to else C.TEMPLATE_REMOVED)
                  for r in sorted(retired, key=lambda r: sort_key(r.name))]
    if note:
        lines.append(note)
    folder_in = campaign.inputs_dir(root)
    received = [e for e in (entries(folder_in) if folder_in.is_dir() else []) if classify(e) is None]  # workbooks
    if received and any(form.PROP_NOMENCLATURE in w.reasons for w in by_state[CHANGED]):
        lines.append(fr(C.TEMPLATES_NEW_NOMENCLATURE, fichiers=len(received)))
    if drafts is not None:
        lines.append(fr(C.TEMPLATES_DRAFTS, dossier=drafts))
        sent = {w.company for w in by_state[NEW] + by_state[CHANGED]}
        no_email = sorted((campaign.raison_sociale(c) for c, e in zip(campaign.societes.identifiant,
                                                                       campaign.societes.email) if c in sent and not e),
                          key=sort_key)
        if no_email:
            lines.append(fr(C.TEMPLATES_NO_EMAIL, n=len(no_email), societes=", ".join(no_email),
                            chemin=campaign.source))
    if by_state[NEW] or by_state[CHANGED]:
        lines.append(fr(C.TEMPLATES_NEXT, dossier=campaign.inputs_dir(root)))
    else:
        lines.append(C.TEMPLATES_NOTHING_TO_SEND)
    return lines


def _name(campaign: Campaign, w: Written) -> str:
    return campaign.raison_sociale(w.company)


def _reasons(w: Written) -> str:
    """Why a template changed, in French: the properties that differ, or its layout."""
    if not w.reasons:
        return C.TEMPLATE_LAYOUT
    return ", ".join(fr(C.TEMPLATE_REASONS[k.removeprefix(PROP_PREFIX)], avant=w.before.get(k, ""))
                     for k in w.reasons)


def evaluation_lines(r: Evaluation) -> list[str]:
    """The measured accuracy of the job-title assistant (``effectifs rapprocher --evaluer``)."""
    lines = [fr(C.EVALUATION_HEAD, titres=len(r.detail), societes=r.detail["societe"].nunique())]
    for s in r.steps.itertuples(index=False):
        lines.append(fr(C.EVALUATION_STEP, etape=C.EVALUATION_STEPS[s.etape], confiants=s.confiants, justes=s.justes,
                        erreurs=s.erreurs, preremplis=s.preremplis, faux=s.preremplis_faux))
    lines.append(C.EVALUATION_TARGETS)
    lr = r.learning
    weights = lr["confiants"] * lr["titres"]
    lines.append(fr(C.EVALUATION_LEARNING, paires=len(lr), confiants=lr["confiants"].mean(), avant=lr["avant"].mean(),
                    minimum=lr["confiants"].min(), maximum=lr["confiants"].max(),
                    justes=(lr["justes"] * weights).sum() / weights.sum() if weights.sum() else 0.0))
    for p in lr.itertuples(index=False):
        lines.append(fr(C.EVALUATION_PAIR, validee=p.validee, evaluee=p.evaluee, confiants=p.confiants, avant=p.avant,
                        justes=p.justes))
    cu = r.cumulative
    weights = cu["confiants"] * cu["titres"]
    lines.append(fr(C.EVALUATION_CUMULATIVE, n=len(cu), autres=len(cu) - 1, confiants=cu["confiants"].mean(),
                    avant=cu["avant"].mean(), minimum=cu["confiants"].min(), maximum=cu["confiants"].max(),
                    justes=(cu["justes"] * weights).sum() / weights.sum() if weights.sum() else 0.0))
    c = summary(r.control)
    lines.append(fr(C.EVALUATION_CONTROL, n=c["titres"], confiants=c["confiants"], justes=c["justes"],
                    erreurs=c["erreurs"], preremplis=c["preremplis"], faux=c["preremplis_faux"]))
    v = summary(r.variants)
    lines.append(fr(C.EVALUATION_VARIANTS, n=v["titres"], confiants=v["confiants"], justes=v["justes"]))
    return lines
