#!/usr/bin/env bash
# Mutation testing of the computation and checking modules (docs/mutation-testing.md). Slow: not in CI.
#   bash tools/mutation-test.sh              # installs mutmut if needed, runs the scope below, lists survivors
#   bash tools/mutation-test.sh 'pipeline.secret.x_protect*'   # only the mutants matching these names
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
  # confidentiality: primary rules, secondary suppression, LP audit
  'pipeline.compute.secret.x_cell_contributions__*' 'pipeline.compute.secret.x__ranges__*'
  'pipeline.compute.secret.x_disclosed__*' 'pipeline.compute.secret.x_protect__*'
  'pipeline.compute.secret.x_published_ranges__*' 'pipeline.compute.secret.x_rules_of__*'
  'pipeline.compute.secret.xǁProtectionǁ*' 'pipeline.core.layout.x_relations__*'
  # the branch table: which cells each row key adds to, the group-by, its invariants
  'pipeline.core.layout.x_membership__*' 'pipeline.compute.branch.x_branch_table__*'
  'pipeline.compute.branch.xǁBranchǁ*' 'pipeline.core.models.x__sums_match__*' 'pipeline.core.models.x_check_tableau__*'
  # the checks of the raw cells, the declared totals, the container
  'pipeline.core.models.x_is_number__*' 'pipeline.core.models.xǁSaisiesǁ*' 'pipeline.core.models.xǁDeclarationsǁ*'
  'pipeline.check.batch.x__declarations__*' 'pipeline.check.values.x_text_number__*'
  'pipeline.read.xlsx.x__container_problem__*'
  # the history's rules: which submission is each company's latest, and its figures
  'pipeline.store.history.x_submissions__*' 'pipeline.store.history.x_latest_accepted__*'
  'pipeline.store.history.x_figures_of__*' 'pipeline.store.history.x_accepted__*'
  # the year-over-year check
  'pipeline.check.yoy.x_hidiroglou_berthelot__*'
  # the matcher
  'pipeline.compute.matching.x_normalize__*' 'pipeline.compute.matching.x_labels_of__*'
  'pipeline.compute.matching.xǁMatcherǁ*'
)
[ "$#" -gt 0 ] && scope=("$@")

export EFFECTIFS_MUTATION=1   # property tests: fewer examples, always the same (tests/strategies.py)
start=$(date +%s)
"$venv/bin/mutmut" run --max-children "${MUTATION_JOBS:-$(nproc)}" "${scope[@]}" </dev/null >mutation-run.log 2>&1 || true
echo "mutation run: $(( $(date +%s) - start )) s (log: mutation-run.log)"
"$venv/bin/mutmut" results
