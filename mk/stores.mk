# Triple stores and the query page (included by the Makefile).
#
# YASGUI comes from the npm registry as a pinned, checksummed package and is served by
# `hrkg serve` from scripts/hrkg/serve/webui/vendor/ (git-ignored): the page loads nothing from a CDN.
# System packages (Virtuoso, Jena, Chromium) come from Debian via .ci/install-system-packages.sh.

YASGUI_VERSION := 4.6.2
YASGUI_SHA256 := 6520cdd256a4003e8d45865e0d631b6456b88a0e6b65f4f3e56d78a25d74c9a7
YASGUI_DIR := scripts/hrkg/serve/webui/vendor/yasgui
YASGUI_STAMP := $(YASGUI_DIR)/.version-$(YASGUI_VERSION)

.PHONY: yasgui system-packages portability

yasgui: $(YASGUI_STAMP) ## fetch YASGUI (npm @zazuko/yasgui, pinned) for the query page

$(YASGUI_STAMP):
	@command -v npm >/dev/null || { echo "npm is needed (run .ci/install-system-packages.sh)"; exit 1; }
	rm -rf $(YASGUI_DIR)
	mkdir -p $(YASGUI_DIR)
	tmp=$$(mktemp -d) && \
	  (cd $$tmp && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) >/dev/null) && \
	  echo "$(YASGUI_SHA256)  $$tmp/zazuko-yasgui-$(YASGUI_VERSION).tgz" | sha256sum --check --quiet - && \
	  tar -xzf $$tmp/zazuko-yasgui-$(YASGUI_VERSION).tgz -C $$tmp && \
	  cp $$tmp/package/build/yasgui.min.js $$tmp/package/build/yasgui.min.css \
	     $$tmp/package/package.json $(YASGUI_DIR)/ && \
	  rm -rf $$tmp
	printf '%s\n' "@zazuko/yasgui $(YASGUI_VERSION) from the npm registry; MIT licence" \
	  "(see package.json). Fetched by 'make yasgui'; not committed." > $(YASGUI_DIR)/README
	touch $@

system-packages: ## install Virtuoso 7, Apache Jena, Java, Chromium, npm (Debian, as root)
	.ci/install-system-packages.sh

portability: $(STAMP) ## run the stored queries on rdflib, pyoxigraph, Oxigraph, Virtuoso, Jena
	cd tests && ../$(BIN)/python -m stores.engines matrix --dump ../dist/hrkg.nq --queries ../queries

# The query-page test and `make serve` need YASGUI.
test: yasgui
serve: yasgui
