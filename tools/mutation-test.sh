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
  # confidentiality: primary rules, secondary suppression, LP audit (all of secret.py but the wording of
  # the list of cells masked in one campaign only)
  'pipeline.secret.x_relations_of__*' 'pipeline.secret.x_cell_contributions__*' 'pipeline.secret.x__ranges__*'
  'pipeline.secret.x_disclosed__*' 'pipeline.secret.x_protect__*' 'pipeline.secret.x_published_ranges__*'
  'pipeline.secret.x_rules_of__*' 'pipeline.secret.xǁProtectionǁ*' 'pipeline.consolidate.x__masked__*'
  # the branch table
  'pipeline.consolidate.x_branch_table__*' 'pipeline.consolidate.x__with_levels__*'
  'pipeline.consolidate.x__per_company__*'
  # the checks of the raw cells and the branch table's invariants
  'pipeline.schemas.x__not_blank__*' 'pipeline.schemas.x__is_number__*' 'pipeline.schemas.x_valeur_*'
  'pipeline.schemas.x__sums_match__*' 'pipeline.ingest.x__zip_problem__*' 'pipeline.ingest.x__text_number__*'
  # the history's rules: which submission is each company's latest, and its figures
  'pipeline.history.x_submissions__*' 'pipeline.history.x_latest_accepted__*' 'pipeline.history.x_figures_of__*'
  'pipeline.history.x_accepted_result__*'
  # the year-over-year check
  'pipeline.evolution.x_hidiroglou_berthelot__*'
  # the matcher
  'pipeline.suggest.x_normalize__*' 'pipeline.suggest.x_labels_of__*' 'pipeline.suggest.xǁMatcherǁ*'
)
[ "$#" -gt 0 ] && scope=("$@")

export EFFECTIFS_MUTATION=1   # property tests: fewer examples, always the same (tests/strategies.py)
start=$(date +%s)
"$venv/bin/mutmut" run --max-children "${MUTATION_JOBS:-$(nproc)}" "${scope[@]}" </dev/null >mutation-run.log 2>&1 || true
echo "mutation run: $(( $(date +%s) - start )) s (log: mutation-run.log)"
"$venv/bin/mutmut" results
