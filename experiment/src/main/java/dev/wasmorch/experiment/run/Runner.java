package dev.wasmorch.experiment.run;

import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.backend.BackendException;
import dev.wasmorch.experiment.backend.DeployException;
import dev.wasmorch.experiment.load.Hey;
import dev.wasmorch.experiment.model.Deployment;
import dev.wasmorch.experiment.model.Failure;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.ImageSize;
import dev.wasmorch.experiment.model.PodRecord;
import dev.wasmorch.experiment.model.PodRef;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.model.PodTimings;
import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.model.Scenario;
import dev.wasmorch.experiment.model.Trial;
import dev.wasmorch.experiment.plan.Plan;
import dev.wasmorch.experiment.results.HeyCsv;
import dev.wasmorch.experiment.results.ResultWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs the study's scenarios through a backend and writes what it measures as it measures it.
 *
 * <p>Per trial of the {@link Plan}: deploy (a failed attempt is recorded with its error, and the
 * pod tried again under a new name, at most {@code readiness.attempts()} times), measure, remove.
 * An instantiation trial's one request is its first invocation, written apart from the warm
 * requests of the serial and concurrent scenarios. Nothing measured is dropped: a pod that never
 * became ready is in pods.json, in the lifecycle log as far as it got, and in failures.csv.
 *
 * <p>{@link #stop(String)} (the Ctrl-C hook) ends the run between two steps: the running hey is
 * ended, every pod the backend made is removed, and the results are closed as incomplete.
 */
public final class Runner {

    /** How long {@link #finish} waits for a deploy in flight to return after removeAll. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    static final String STOPPED_IN_FLIGHT = "the run stopped while this pod was being deployed";

    private final List<FunctionSpec> functions;
    private final RunConfig config;
    private final Backend backend;
    private final Hey hey;
    private final ResultWriter writer;
    private final PrintStream progress;
    private final Map<Runtime, String> runtimeClasses;
    private final RunState state;
    private final Object finishing = new Object();
    private volatile String interruption;
    private boolean finished;

    public Runner(
            List<FunctionSpec> functions,
            RunConfig config,
            Backend backend,
            Hey hey,
            ResultWriter writer,
            PrintStream progress,
            Map<Runtime, String> runtimeClasses,
            RunState state) {
        this.functions = List.copyOf(functions);
        this.config = config;
        this.backend = backend;
        this.hey = hey;
        this.writer = writer;
        this.progress = progress;
        this.runtimeClasses = Map.copyOf(runtimeClasses);
        this.state = state;
    }

    /**
     * Runs everything and closes the results.
     *
     * @return {@code true} when the run completed, {@code false} when it was stopped
     */
    public boolean run() throws IOException, BackendException {
        state.metadata(writer, config, backend.facts(), null, false, null);
        backend.prepare(new Backend.Setup(
                functions,
                writer.layout().lifecycleDir(),
                config.readiness(),
                line -> progress.println("lab: " + line)));
        state.metadata(writer, config, backend.facts(), null, false, null);
        if (config.scenarios().contains(Scenario.SIZES)) {
            sizes();
        }
        List<Trial> trials = Plan.of(functions, config.scenarios(), config.repetitions());
        Eta eta = new Eta(Map.of(
                Scenario.SERIAL,
                config.serial(),
                Scenario.CONCURRENT,
                Hey.Shape.concurrent(config.concurrent()).expected()));
        for (int i = 0; i < trials.size() && interruption == null; i++) {
            Trial trial = trials.get(i);
            report(trial, i, trials, eta);
            long t0 = System.nanoTime();
            trial(trial);
            eta.done(trial.scenario(), Duration.ofNanos(System.nanoTime() - t0));
        }
        return finish(interruption);
    }

    /** Stops the run from another thread (the Ctrl-C hook) and closes its results as incomplete. */
    public void stop(String why) {
        interruption = why;
        hey.stop();
        try {
            finish(why);
        } catch (IOException | BackendException e) {
            progress.println("lab: while stopping: " + e.getMessage());
        }
    }

    private boolean finish(String why) throws IOException, BackendException {
        synchronized (finishing) {
            if (finished) {
                return why == null;
            }
            finished = true;
            Map<PodRef, String> left = backend.removeAll();
            // A deploy in flight when the stop came ends at its next step once removeAll ran; its pod is
            // recorded on the runner's thread, so wait for that (bounded) before reading the records.
            PodSpec inFlight = state.abandonInFlight(SETTLE);
            boolean inFlightAccounted = false;
            for (Map.Entry<PodRef, String> e : left.entrySet()) {
                PodRef pod = e.getKey();
                String error = e.getValue();
                PodRecord r = state.find(pod);
                if (r != null) {
                    fail(removal(r.spec(), pod.name(), error));
                } else if (inFlight != null && isInFlights(pod, inFlight)) {
                    // never recorded: the deploy that made it has not returned; it is the in-flight trial's
                    state.add(new PodRecord(
                            pod, inFlight, PodTimings.NONE, STOPPED_IN_FLIGHT + "; not removed: " + error));
                    fail(removal(inFlight, pod.name(), STOPPED_IN_FLIGHT + "; not removed: " + error));
                    inFlightAccounted = true;
                } else {
                    // the backend's sweep (by the run's label, not one pod), or a pod no trial recorded
                    fail(removal(
                            null,
                            pod.name(),
                            "not a pod the runner recorded (a sweep of the run's objects, or a deploy cut off by the"
                                    + " stop); not removed: " + error));
                }
            }
            if (inFlight != null && !inFlightAccounted) {
                fail(new Failure(
                        inFlight.scenario(),
                        inFlight.function().name(),
                        inFlight.runtime(),
                        0,
                        inFlight.name(),
                        "deploy",
                        STOPPED_IN_FLIGHT + "; its deploy did not return within " + SETTLE.toSeconds()
                                + " s, the backend reported nothing left of it",
                        now()));
            }
            try {
                backend.collect(writer.layout().lifecycleDir());
            } finally {
                writer.pods(state.pods(), runtimeClasses);
                state.metadata(writer, config, backend.facts(), Instant.now(), why == null, why);
            }
            progress.println(
                    "lab: " + (why == null ? "run complete" : "run stopped (" + why + "), results marked incomplete")
                            + ": " + state.summary());
            return why == null;
        }
    }

    private void sizes() {
        for (FunctionSpec f : functions) {
            if (interruption != null) {
                return;
            }
            progress.println("lab: [sizes] " + f.name());
            try {
                for (ImageSize size : backend.imageSizes(f)) {
                    writer.imageSize(size);
                }
            } catch (BackendException | IOException e) {
                fail(new Failure(Scenario.SIZES.label(), f.name(), null, 1, "", "size", e.getMessage(), now()));
            }
        }
    }

    private void trial(Trial trial) {
        Deployment deployment = deploy(trial);
        if (deployment == null) {
            return;
        }
        try {
            if (trial.scenario() == Scenario.INSTANTIATION) {
                writer.instantiation(state.record(deployment.pod()));
                firstInvocation(trial, deployment);
            } else {
                warm(trial, deployment);
            }
        } catch (IOException e) {
            fail(failure(trial, deployment.pod().name(), "write", e.getMessage()));
        } finally {
            try {
                backend.remove(deployment.pod());
                state.removed(deployment.pod());
            } catch (BackendException e) {
                fail(failure(trial, deployment.pod().name(), "remove", e.getMessage()));
            }
        }
    }

    /** Deploys the trial's pod, trying again under a new name after a failure, bounded by the attempts. */
    private Deployment deploy(Trial trial) {
        for (int attempt = 1; attempt <= config.readiness().attempts() && interruption == null; attempt++) {
            PodSpec spec = new PodSpec(
                    PodNames.of(trial, attempt),
                    trial.function(),
                    trial.runtime(),
                    trial.scenario().label());
            state.deploying(spec);
            Deployment d;
            try {
                d = backend.deploy(spec);
            } catch (DeployException e) {
                PodRef pod = e.pod();
                if (state.settle(pod == null ? null : new PodRecord(pod, spec, e.reached(), e.getMessage()))) {
                    fail(failure(trial, spec.name(), "deploy (attempt " + attempt + ")", e.getMessage()));
                }
                if (pod != null) {
                    try {
                        backend.remove(pod);
                        state.removed(pod);
                    } catch (BackendException removal) {
                        fail(failure(trial, spec.name(), "remove", removal.getMessage()));
                    }
                }
                continue;
            } catch (RuntimeException e) {
                state.settle(null);
                throw e;
            }
            if (state.settle(new PodRecord(d.pod(), spec, d.timings(), null))) {
                return d;
            }
            // ready only after the end of the run recorded it as cut off: not measured, only removed
            try {
                backend.remove(d.pod());
                state.removed(d.pod());
            } catch (BackendException removal) {
                fail(failure(trial, spec.name(), "remove", removal.getMessage()));
            }
            return null;
        }
        return null;
    }

    private void firstInvocation(Trial trial, Deployment d) throws IOException {
        try {
            HeyCsv.Output out = hey.run(d.endpoint(), trial.function().request(), Hey.Shape.single());
            writer.firstInvocation(trial.function().name(), trial.runtime(), out);
            if (out.ok() != 1) {
                fail(failure(
                        trial,
                        d.pod().name(),
                        "first-invocation",
                        out.rows().isEmpty()
                                ? "no response (hey printed no row: connection refused or timed out)"
                                : "status " + out.statuses()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(failure(trial, d.pod().name(), "first-invocation", "interrupted"));
        } catch (IOException e) {
            fail(failure(trial, d.pod().name(), "first-invocation", e.getMessage()));
        }
    }

    private void warm(Trial trial, Deployment d) throws IOException {
        Hey.Shape shape = trial.scenario() == Scenario.SERIAL
                ? Hey.Shape.serial(config.serial())
                : Hey.Shape.concurrent(config.concurrent());
        try {
            HeyCsv.Output out = hey.run(d.endpoint(), trial.function().request(), shape);
            writer.responses(trial.scenario(), trial.function().name(), trial.runtime(), out);
            long bad = out.rows().size() - out.ok();
            if (out.rows().isEmpty() || bad > 0) {
                fail(failure(
                        trial,
                        d.pod().name(),
                        "load",
                        out.rows().isEmpty()
                                ? "no response at all"
                                : bad + " of " + out.rows().size() + " responses not 2xx"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(failure(trial, d.pod().name(), "load", "interrupted"));
        } catch (IOException e) {
            fail(failure(trial, d.pod().name(), "load", e.getMessage()));
        }
    }

    private void report(Trial trial, int index, List<Trial> trials, Eta eta) {
        Duration left = eta.left(trials, index);
        int reps = trial.scenario() == Scenario.INSTANTIATION ? config.repetitions() : 1;
        progress.printf(
                "lab: [%s %d/%d] %s %s rep %d/%d%s%n",
                trial.scenario().label(),
                index + 1,
                trials.size(),
                trial.function().name(),
                trial.runtime().label(),
                trial.repetition(),
                reps,
                left == null ? "" : " · ~" + Eta.format(left) + " left");
    }

    /** A pod the end of the run could not remove; {@code spec} is null when no trial is known. */
    private static Failure removal(PodSpec spec, String pod, String error) {
        return new Failure(
                spec == null ? "" : spec.scenario(),
                spec == null ? "" : spec.function().name(),
                spec == null ? null : spec.runtime(),
                0,
                pod,
                "remove",
                error,
                now());
    }

    /** Whether a pod without a record is the one the deploy in flight made: its name, or a made pod's UID. */
    private static boolean isInFlights(PodRef pod, PodSpec inFlight) {
        return pod.name().equals(inFlight.name())
                || (pod.uid() != null && !pod.uid().isEmpty());
    }

    private Failure failure(Trial t, String pod, String step, String error) {
        return new Failure(
                t.scenario().label(), t.function().name(), t.runtime(), t.repetition(), pod, step, error, now());
    }

    private void fail(Failure f) {
        state.failed();
        String what = String.join(
                " ",
                java.util.stream.Stream.of(
                                f.step(),
                                f.function(),
                                f.runtime() == null ? "" : f.runtime().label(),
                                f.pod())
                        .filter(w -> !w.isEmpty())
                        .toList());
        progress.println("lab: FAILED " + what + ": " + f.error());
        try {
            writer.failure(f);
        } catch (IOException e) {
            progress.println("lab: cannot write failures.csv: " + e.getMessage());
        }
    }

    private static long now() {
        return PodTimings.now();
    }
}
