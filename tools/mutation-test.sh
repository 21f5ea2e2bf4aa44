#!/usr/bin/env bash
# Mutation testing of the computation and checking modules (docs/mutation-testing.md). Slow: not in CI.
#   bash tools/mutation-test.sh              # installs mutmut if needed, runs the scope below, lists survivors
#   bash tools/mutation-test.sh 'pipeline.compute.secret.x_required__*'   # only the mutants matching these names
# mutmut's settings (modules, tests used) are in pyproject.toml, [tool.mutmut]. Results stay in mutants/:
# `.venv/bin/mutmut results`, `.venv/bin/mutmut show NAME` for one mutant's diff.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${MUTATION_VENV:-.venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import mutmut" 2>/dev/null || "$venv/bin/python" -m pip install --quiet -e '.[test,mutation]'

# The functions that compute a published figure, decide a verdict or what is masked (mutmut's names:
# module.x_function, module.xǁClassǁmethod). The writers, readers and message wording are left out.
scope=(
  # confidentiality (issue 15): primary rules, protection intervals, numbers of companies, the linked tables
  'pipeline.compute.secret.x_primary_reason__*' 'pipeline.compute.secret.x_required__*'
  'pipeline.compute.secret.x_count_safe__*' 'pipeline.compute.secret.x__requirements__*'
  'pipeline.compute.secret.x_protect__*' 'pipeline.compute.secret.x_protect_tables__*'
  'pipeline.compute.secret.x__keys__*' 'pipeline.compute.secret.x__linked_to__*'
  'pipeline.compute.secret.x_published_ranges__*' 'pipeline.compute.secret.x_rules_of__*'
  'pipeline.compute.secret.xǁProtectionǁ*' 'pipeline.core.layout.x_relations__*'
  'pipeline.compute.secret_tables.x_unit_of__*' 'pipeline.compute.secret_tables.x_branch_tables__*'
  'pipeline.compute.secret_tables.x_with_previous__*' 'pipeline.compute.secret_tables.x_shares__*'
  'pipeline.compute.secret_tables.x_own_figures__*'
  # the audit (what each attacker can infer) and the secondary cells at least cost
  'pipeline.compute.secret_lp.x_build_system__*' 'pipeline.compute.secret_lp.xǁSystemǁ*'
  'pipeline.compute.secret_lp.xǁAuditorǁ*'
  'pipeline.compute.secret_cost.x_cell_costs__*' 'pipeline.compute.secret_cost.x_neighbourhood__*'
  'pipeline.compute.secret_cost.x__certificate__*' 'pipeline.compute.secret_cost.x__model__*'
  'pipeline.compute.secret_cost.x__solve__*' 'pipeline.compute.secret_cost.x_choose__*'
  # the intervals the Secret sheet reports (« Encadrement »)
  'pipeline.compute.secret_report.x_describe__*' 'pipeline.compute.secret_report.x__inf__*'
  # the branch table: which cells each row key adds to, the group-by, its invariants
  'pipeline.core.layout.x_membership__*' 'pipeline.compute.branch.x_branch_table__*'
  'pipeline.compute.branch.xǁBranchǁ*' 'pipeline.core.models.x__sums_match__*' 'pipeline.core.models.x_check_tableau__*'
  # the checks of the raw cells, the declared totals, the container
  'pipeline.core.numeric.x_is_number__*' 'pipeline.core.models.xǁSaisiesǁ*' 'pipeline.core.models.xǁDeclarationsǁ*'
  'pipeline.check.batch.x__declarations__*' 'pipeline.check.values.x_text_number__*'
  'pipeline.read.xlsx.x_container_problem__*'
  # the history's rules: which submission is each company's latest, and its figures
  'pipeline.store.history.x_submissions__*' 'pipeline.store.history.x_latest_accepted__*'
  'pipeline.store.history.x_figures_of__*' 'pipeline.store.history.x_accepted__*'
  # the year-over-year check
  'pipeline.check.yoy.x_hidiroglou_berthelot__*'
  # the job-title matcher (issue 16): its labels, scores and verdicts, and how a title is read
  'pipeline.compute.matching.x__labels__*' 'pipeline.compute.matching.xǁMatcherǁ__init____*'
  'pipeline.compute.matching.xǁMatcherǁ_aliases__*' 'pipeline.compute.matching.xǁMatcherǁ_weights__*'
  'pipeline.compute.matching.xǁMatcherǁevidence__*' 'pipeline.compute.matching.xǁMatcherǁ_specific__*'
  'pipeline.compute.matching.xǁMatcherǁpropose__*' 'pipeline.compute.matching.xǁMatcherǁsettle__*'
  'pipeline.compute.titles.x_fold__*' 'pipeline.compute.titles.x_inflect__*' 'pipeline.compute.titles.x_tidy__*'
  'pipeline.compute.titles.xǁReaderǁ*'
)
[ "$#" -gt 0 ] && scope=("$@")

export EFFECTIFS_MUTATION=1   # property tests: fewer examples, always the same (tests/strategies.py)
start=$(date +%s)
"$venv/bin/mutmut" run --max-children "${MUTATION_JOBS:-$(nproc)}" "${scope[@]}" </dev/null >mutation-run.log 2>&1 || true
echo "mutation run: $(( $(date +%s) - start )) s (log: mutation-run.log)"
"$venv/bin/mutmut" results
