-- wasmorch results schema, version 1. Every table is keyed so the job's replays after a restart
-- upsert the same rows again (INSERT ... ON CONFLICT DO UPDATE) instead of duplicating them.

-- One row per pod (UID, else namespace/name): believed phase times and the metrics in seconds.
-- A metric flagged negative_interval/implausible_interval is NULL here (kept out of statistics);
-- the flags column says why.
CREATE TABLE pod_lifecycles (
    namespace            text             NOT NULL,
    pod                  text             NOT NULL,
    uid                  text             NOT NULL DEFAULT '',
    node                 text,
    runtime              text,
    function             text,
    scenario             text,
    runtime_class        text,
    created              timestamptz,
    scheduled            timestamptz,
    seen                 timestamptz,
    sandbox_ready        timestamptz,
    container_created    timestamptz,
    container_started    timestamptz,
    ready                timestamptz,
    deleted              timestamptz,
    created_to_scheduled double precision,
    scheduled_to_started double precision,
    scheduled_to_ready   double precision,
    created_to_ready     double precision,
    created_to_started   double precision,
    seen_to_started      double precision,
    duplicates           integer          NOT NULL,
    flags                text             NOT NULL,
    complete             boolean          NOT NULL,
    updated_at           timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, pod, uid)
);
CREATE INDEX pod_lifecycles_scheduled ON pod_lifecycles (scheduled);
CREATE INDEX pod_lifecycles_group ON pod_lifecycles (scenario, function, runtime);

-- Running descriptive statistics per group (also response_time from hey results).
CREATE TABLE summary_stats (
    scenario   text             NOT NULL,
    function   text             NOT NULL,
    runtime    text             NOT NULL,
    metric     text             NOT NULL,
    n          bigint           NOT NULL,
    mean       double precision NOT NULL,
    median     double precision NOT NULL,
    p90        double precision NOT NULL,
    p95        double precision NOT NULL,
    p99        double precision NOT NULL,
    min        double precision NOT NULL,
    max        double precision NOT NULL,
    sd         double precision NOT NULL,
    cv         double precision NOT NULL,
    ci95_low   double precision NOT NULL,
    ci95_high  double precision NOT NULL,
    updated_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (scenario, function, runtime, metric)
);

-- WASM vs container per (scenario, function, metric): Mann-Whitney U, p-value, speedup.
CREATE TABLE comparisons (
    scenario       text             NOT NULL,
    function       text             NOT NULL,
    metric         text             NOT NULL,
    n_wasm         bigint           NOT NULL,
    n_container    bigint           NOT NULL,
    mean_wasm      double precision NOT NULL,
    mean_container double precision NOT NULL,
    speedup        double precision NOT NULL,
    u              double precision NOT NULL,
    z              double precision NOT NULL,
    p_value        double precision NOT NULL,
    log10_p        double precision NOT NULL,
    effect_size    double precision NOT NULL,
    updated_at     timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (scenario, function, metric)
);

-- Per event-time minute (of PodScheduled): count, mean, median and p95 of a metric per group.
CREATE TABLE minute_windows (
    minute     timestamptz      NOT NULL,
    scenario   text             NOT NULL,
    function   text             NOT NULL,
    runtime    text             NOT NULL,
    metric     text             NOT NULL,
    n          bigint           NOT NULL,
    mean       double precision NOT NULL,
    p50        double precision NOT NULL,
    p95        double precision NOT NULL,
    updated_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (minute, scenario, function, runtime, metric)
);

-- Job counters (lines_read, rejected:REASON, ...) as running totals per job label.
CREATE TABLE job_counters (
    job        text        NOT NULL,
    name       text        NOT NULL,
    value      bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job, name)
);

-- The counters' history, one row per (job, name, second): what the ingest-health panels plot.
CREATE TABLE job_counter_history (
    job    text        NOT NULL,
    name   text        NOT NULL,
    at     timestamptz NOT NULL,
    value  bigint      NOT NULL,
    PRIMARY KEY (job, name, at)
);
