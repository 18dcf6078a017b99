.DEFAULT_GOAL := help
PEOPLE ?= 10000

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

setup: ## Create .venv with the pinned toolchain
	bash scripts/setup.sh

demo: ## Set up, generate PEOPLE people, dbt build, print a summary
	PEOPLE=$(PEOPLE) bash scripts/demo.sh

test: ## Set up and run the whole test suite (ruff, sqlfluff, pytest + dbt build)
	bash scripts/test.sh

generate: setup ## Generate PEOPLE people into the warehouse
	. scripts/env.sh && cdp generate --people $(PEOPLE) --force

build: setup ## dbt build on the current warehouse
	. scripts/env.sh && dbt build

validate: setup ## great-expectations suites on the raw landing tables (Data Docs in target/)
	. scripts/env.sh && cdp validate

evaluate: setup ## Identity and churn scores against the generator's truth (JSON)
	. scripts/env.sh && cdp evaluate-identity && cdp evaluate-churn

freshness: setup ## dbt source freshness (schedule next to your loaders)
	. scripts/env.sh && dbt source freshness

docs: setup ## Generate and serve dbt docs
	. scripts/env.sh && dbt docs generate && dbt docs serve

lint: setup ## Lint SQL and Python
	. scripts/env.sh && ruff check scripts tests && sqlfluff lint models tests analyses snapshots

fix: setup ## Auto-fix SQL and Python style
	. scripts/env.sh && ruff check --fix scripts tests && sqlfluff fix models tests analyses snapshots

clean: ## Remove build artefacts and the local warehouse
	rm -rf target logs warehouse .pytest_cache

.PHONY: help setup demo test generate build validate evaluate freshness docs lint fix clean
