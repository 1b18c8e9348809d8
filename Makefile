# 赣州工匠 — the two commands of the README, and a few more for developers.
#   make run    set up, migrate, load demo content, serve on :8000 with the worker
#   make test   set up and run every test and check

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := website.settings

.PHONY: run test lint format contracts check-deploy migrations-check clean bench

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Serve the site and the django-q2 worker together; Ctrl-C stops both.
run: export DEBUG = 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	@echo "网站：http://$(HOST):$(PORT)/   管理后台：http://$(HOST):$(PORT)/admin/   （Ctrl-C 停止）"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/python manage.py qcluster & \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Test-only tooling for tests/browser: axe-core and the Nu HTML checker (vnu-jar). Without
# npm the suite still runs; the browser checks that need these are skipped with a reason.
node_modules: package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --ignore-scripts && touch node_modules; \
	else \
	  echo "未找到 npm：跳过安装 axe-core 与 vnu-jar，无障碍与 HTML 校验测试将被跳过"; \
	fi

# The browser tests run in a pytest process of their own (a live server and transactional
# databases); `make test PYTEST_MARKS="not browser and not load" BROWSER_TESTS=0` is the
# PostgreSQL pass of .ci/run.
PYTEST_MARKS ?= not browser
BROWSER_TESTS ?= 1
OWN_PROCESS_TESTS := tests/site/test_backup.py tests/security/test_concurrency_processes.py
test: export TESTING = 1
test: $(STAMP) node_modules
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -m "$(PYTEST_MARKS) and not own_process"
	@for file in $(OWN_PROCESS_TESTS); do \
	  echo "--- $$file（单独的进程：真实提交并清空测试数据库）---"; \
	  $(BIN)/python -m pytest $$file || exit 1; \
	done
	@if [ "$(BROWSER_TESTS)" != 0 ]; then \
	  echo "--- 浏览器测试（单独的进程：实时服务器与事务数据库）---"; \
	  $(BIN)/python -m pytest tests/browser; \
	fi
	@echo "--- 去掉 craftsman 插件后再运行核心测试 ---"
	CRAFTSMAN_ENABLED=0 $(BIN)/python -m pytest tests/site tests/publications -m "not browser and not load and not own_process"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

contracts: $(STAMP)
	$(BIN)/lint-imports

check-deploy: $(STAMP)
	DEBUG=0 TESTING=0 SECRET_KEY=ci-dummy-secret-key-with-enough-length-and-entropy-0123456789abcdef \
	  ALLOWED_HOSTS=gzgj.example.gov.cn $(BIN)/python manage.py check --deploy --fail-level WARNING

# Performance report (bench/run.py): docs/performance.md with the latest figures.
# BENCH_FACTOR=0 skips the seed_scale pass; bench/run.py --help lists the options.
BENCH_FACTOR ?= 100
bench: $(STAMP)
	$(BIN)/python bench/run.py --factor $(BENCH_FACTOR)

clean:
	rm -rf $(VENV) var
