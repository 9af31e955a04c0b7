package dev.wasmorch.shim.task;

import dev.wasmorch.shim.proto.task.CreateTaskRequest;
import dev.wasmorch.shim.proto.task.DeleteResponse;
import dev.wasmorch.shim.proto.task.StateResponse;
import dev.wasmorch.shim.proto.task.UpdateTaskRequest;
import dev.wasmorch.shim.proto.types.task.Status;
import dev.wasmorch.shim.ttrpc.RpcCode;
import dev.wasmorch.shim.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tasks of every namespace this daemon serves and their lifecycle (Create, Start, Kill, Wait,
 * Delete), with the events containerd expects for each step. Errors carry the gRPC code containerd
 * maps to its errdefs (NotFound, AlreadyExists, FailedPrecondition, ...).
 */
public final class TaskManager {

    private static final Logger LOG = Logger.getLogger(TaskManager.class.getName());

    private final Map<TaskKey, Task> tasks = new ConcurrentHashMap<>();
    /** Stops killed tasks' apps off the Kill call; one thread each, as a stop may take a second. */
    private final ExecutorService stopping = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "task-stop");
        t.setDaemon(true);
        return t;
    });

    private final WorkloadFactory apps;
    private final EventPublisher events;
    private final LifecycleLog lifecycle;
    private final Clock clock;
    private final int pid;
    private final TaskCgroups cgroups;

    /**
     * Tasks with their cgroups in this node's hierarchies.
     *
     * @param pid the pid reported for every task: the daemon's own, since a WASM app is no process
     *            of its own (runwasi does the same)
     */
    public TaskManager(WorkloadFactory apps, EventPublisher events, LifecycleLog lifecycle, Clock clock, int pid) {
        this(apps, events, lifecycle, clock, pid, nodeCgroups());
    }

    TaskManager(
            WorkloadFactory apps,
            EventPublisher events,
            LifecycleLog lifecycle,
            Clock clock,
            int pid,
            TaskCgroups cgroups) {
        this.apps = apps;
        this.events = events;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.pid = pid;
        this.cgroups = cgroups;
    }

    private static TaskCgroups nodeCgroups() {
        try {
            return TaskCgroups.ofThisNode();
        } catch (IOException e) {
            LOG.warning("cgroup hierarchies unknown (" + e.getMessage() + "): tasks get no cgroup");
            return new TaskCgroups(List.of());
        }
    }

    public int pid() {
        return pid;
    }

    public int create(String namespace, CreateTaskRequest req) throws TtrpcException {
        apps.taskArriving();
        TaskKey key = new TaskKey(namespace, req.getId());
        if (req.getId().isEmpty() || req.getBundle().isEmpty()) {
            throw new TtrpcException(RpcCode.INVALID_ARGUMENT, "create: id and bundle are required");
        }
        if (req.getTerminal()) {
            throw new TtrpcException(
                    RpcCode.INVALID_ARGUMENT,
                    "task " + key + ": a terminal (tty) is not supported: WASM apps have no console");
        }
        if (tasks.containsKey(key)) {
            throw new TtrpcException(RpcCode.ALREADY_EXISTS, "task " + key + " already exists");
        }
        Path bundle = Path.of(req.getBundle());
        BundleConfig config;
        Path rootfs;
        boolean mounted = !req.getRootfsList().isEmpty();
        StdioSink out = null;
        StdioSink err = null;
        try {
            config = BundleConfig.read(bundle);
            // before anything is mounted: a pod whose network cannot be had is refused at once
            Optional<NetworkNamespace> podNetwork = podNetwork(key, config);
            createCgroup(key, bundle, config);
            try {
                rootfs = mounted ? bundle.resolve("rootfs") : bundle.resolve(config.rootPath());
                if (mounted) {
                    Rootfs.mount(req.getRootfsList(), rootfs);
                }
                try {
                    out = StdioSink.open(req.getStdout());
                    err = StdioSink.open(req.getStderr());
                    Task task = new Task(key, req, config, rootfs, mounted, out, err, podNetwork);
                    if (tasks.putIfAbsent(key, task) != null) {
                        throw new TtrpcException(RpcCode.ALREADY_EXISTS, "task " + key + " already exists");
                    }
                } catch (BundleException | TtrpcException e) {
                    closeQuietly(out);
                    closeQuietly(err);
                    if (mounted) {
                        Rootfs.unmount(rootfs);
                    }
                    throw e;
                }
            } catch (BundleException | TtrpcException | RuntimeException e) {
                removeCgroup(key, bundle, config);
                throw e;
            }
        } catch (BundleException e) {
            throw new TtrpcException(RpcCode.FAILED_PRECONDITION, e.getMessage());
        }
        lifecycle.taskCreated(key, config);
        events.publish(namespace, TaskEvent.create(req, pid));
        return pid;
    }

    /**
     * The pod's own network namespace, if its pod has one. A sandbox given a namespace by path
     * that is not the node's (CRI's pod netns) must be enterable now, or it is refused with the
     * reason: its apps would otherwise listen on the node while Kubernetes sends traffic to the pod
     * IP. An app of such a sandbox gets the sandbox's: CRI names {@code /proc/<sandbox pid>/ns/net},
     * and the pid the shim reports is the daemon's own, so that path is the node's namespace. Any
     * other task must be on the node's network ({@link BundleConfig#requireHostNetwork}).
     */
    private Optional<NetworkNamespace> podNetwork(TaskKey key, BundleConfig config) throws BundleException {
        if (config.isSandbox()) {
            Optional<String> own =
                    config.networkNamespace().filter(p -> !p.isEmpty() && !BundleConfig.isHostNamespace(p));
            if (own.isEmpty()) {
                return Optional.empty();
            }
            NetworkNamespace netns = new NetworkNamespace(own.get());
            try {
                netns.call(() -> null);
            } catch (IOException e) {
                throw new BundleException("pod sandbox " + key.id() + ": " + e.getMessage() + "; the pod's apps "
                        + "cannot listen in their pod's network, and the shim never serves them on the node's "
                        + "instead, so the sandbox is refused");
            }
            return Optional.of(netns);
        }
        String sandboxId = config.sandboxId();
        Task sandbox = sandboxId == null ? null : tasks.get(new TaskKey(key.namespace(), sandboxId));
        if (sandbox != null && sandbox.podNetwork.isPresent()) {
            return sandbox.podNetwork;
        }
        config.requireHostNetwork(key.id());
        return Optional.empty();
    }

    /**
     * Creates the cgroup the spec names. A path outside the cgroup root refuses the task. A cgroup
     * that cannot be made (a read-only or missing hierarchy, no permission) does not: it would hold
     * nothing of the app (see {@link TaskCgroups}), so the app runs as well without it; the daemon's
     * log says so, since its pod's stats then fail (ListPodSandboxStats) as they did before.
     * What it made goes into the bundle's {@link CgroupRecord}, for the launcher's delete after a
     * crash of this daemon; without the record those cgroups would stay behind then.
     */
    private void createCgroup(TaskKey key, Path bundle, BundleConfig config) throws BundleException {
        if (config.cgroupsPath().isEmpty()) {
            return;
        }
        String path = config.cgroupsPath().get();
        try {
            List<Path> made = cgroups.create(path);
            if (!made.isEmpty()) {
                writeRecord(key, bundle, made);
            }
        } catch (BundleException e) {
            throw new BundleException("task " + key + ": " + config.file() + ": " + e.getMessage());
        } catch (IOException e) {
            LOG.warning("task " + key + ": linux.cgroupsPath \"" + path + "\": cannot create the cgroup ("
                    + e + "); the task runs without it, and its pod's stats (CRI ListPodSandboxStats) fail "
                    + "while the pod's cgroup is missing");
        }
    }

    private static void writeRecord(TaskKey key, Path bundle, List<Path> made) {
        try {
            CgroupRecord.write(bundle, made);
        } catch (IOException e) {
            LOG.warning("task " + key + ": cannot record its cgroups in " + bundle.resolve(CgroupRecord.FILE) + " (" + e
                    + "); should this daemon die, they stay behind");
        }
    }

    /**
     * Removes what {@link #createCgroup} made for the task, as far as it is empty now, and the
     * record of it: what is left is another task's pod cgroup, in that task's record as well.
     */
    private void removeCgroup(TaskKey key, Path bundle, BundleConfig config) {
        config.cgroupsPath().ifPresent(path -> {
            for (String left : cgroups.remove(path)) {
                LOG.warning("task " + key + ": cgroup not removed: " + left);
            }
            try {
                CgroupRecord.remove(bundle);
            } catch (IOException e) {
                LOG.warning("task " + key + ": cannot remove " + bundle.resolve(CgroupRecord.FILE) + ": " + e);
            }
        });
    }

    private void removeCgroup(Task task) {
        removeCgroup(task.key, Path.of(task.request.getBundle()), task.config);
    }

    public int start(String namespace, String id, String execId) throws TtrpcException {
        Task task = initProcess(namespace, id, execId);
        if (task.status() != Status.CREATED) {
            throw new TtrpcException(
                    RpcCode.FAILED_PRECONDITION,
                    "task " + task.key + " is " + task.status() + ", not CREATED: it can be started once");
        }
        Workload workload;
        try {
            workload = task.config.isSandbox()
                    ? new SandboxWorkload()
                    : apps.start(new TaskSpec(
                            task.key,
                            task.rootfs,
                            task.config,
                            orDiscard(task.stdout),
                            orDiscard(task.stderr),
                            task.podNetwork));
        } catch (WorkloadException | RuntimeException e) {
            // a task whose app could not start has ended: Wait returns and CRI sees it exited
            exited(task, 1);
            String why = e instanceof WorkloadException w ? why(w) : e.getMessage();
            throw new TtrpcException(RpcCode.FAILED_PRECONDITION, "task " + task.key + ": " + why);
        }
        if (!task.running(workload)) {
            // Killed while its app was starting: the Kill reported the exit, the app must not outlive it.
            workload.stop();
            throw new TtrpcException(RpcCode.FAILED_PRECONDITION, "task " + task.key + " was killed while starting");
        }
        events.publish(namespace, TaskEvent.start(id, pid));
        workload.exit().whenComplete((code, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "task " + task.key + ": app failed", failure);
            }
            exited(task, failure != null || code == null ? 255 : code);
        });
        return pid;
    }

    public void kill(String namespace, String id, String execId, int signal) throws TtrpcException {
        Task task = initProcess(namespace, id, execId);
        if (task.status() == Status.STOPPED) {
            throw new TtrpcException(RpcCode.NOT_FOUND, "task " + task.key + ": process already finished");
        }
        if (signal == 0) {
            return; // signal 0 only asks whether the task is alive
        }
        // Every signal ends a WASM app. Like a signalled process, it ends after Kill has returned:
        // CRI deletes the task as soon as Wait returns, and containerd then closes this connection,
        // so an exit reported while the Kill reply is still pending (an app's listener waits up to a
        // second for requests in flight) loses that reply and fails the pod's StopContainer with
        // "ttrpc: closed".
        int code = ExitStatus.afterSignal(signal);
        if (task.workload() == null) {
            exited(task, code); // nothing runs yet: ended at once, before Kill returns
        } else {
            stopping.execute(() -> exited(task, code));
        }
    }

    public ExitStatus await(String namespace, String id, String execId) throws TtrpcException {
        Task task = initProcess(namespace, id, execId);
        try {
            return task.exit().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtrpcException(RpcCode.CANCELLED, "wait for task " + task.key + " interrupted");
        } catch (ExecutionException e) {
            throw new TtrpcException(RpcCode.INTERNAL, "wait for task " + task.key + ": " + e.getCause());
        }
    }

    public DeleteResponse delete(String namespace, String id, String execId) throws TtrpcException {
        Task task = initProcess(namespace, id, execId);
        if (task.status() == Status.RUNNING) {
            throw new TtrpcException(
                    RpcCode.FAILED_PRECONDITION, "task " + task.key + " is running: kill it before deleting it");
        }
        if (task.status() == Status.CREATED) {
            exited(task, 128 + 9); // never started: discarded like a killed one
            task.exit().join(); // when a concurrent Kill or failed Start claimed the exit first
        }
        if (!tasks.remove(task.key, task)) {
            throw new TtrpcException(RpcCode.NOT_FOUND, "task " + task.key + " was deleted meanwhile");
        }
        String unmountError = null;
        if (task.rootfsMounted) {
            try {
                Rootfs.unmount(task.rootfs);
            } catch (BundleException e) {
                unmountError = e.getMessage();
            }
        }
        removeCgroup(task);
        ExitStatus exit = task.exitOrNone();
        events.publish(namespace, TaskEvent.delete(id, pid, exit.code(), exit.at()));
        if (unmountError != null) {
            // the task is gone either way; the leftover mount is for the delete subcommand to retry
            LOG.warning("task " + task.key + ": " + unmountError);
        }
        return DeleteResponse.newBuilder()
                .setPid(pid)
                .setExitStatus(exit.code())
                .setExitedAt(Protos.timestamp(exit.at()))
                .build();
    }

    public StateResponse state(String namespace, String id, String execId) throws TtrpcException {
        Task task = initProcess(namespace, id, execId);
        ExitStatus exit = task.exitOrNone();
        CreateTaskRequest r = task.request;
        return StateResponse.newBuilder()
                .setId(id)
                .setBundle(r.getBundle())
                .setPid(pid)
                .setStatus(task.status())
                .setStdin(r.getStdin())
                .setStdout(r.getStdout())
                .setStderr(r.getStderr())
                .setExitStatus(exit.code())
                .setExitedAt(Protos.timestamp(exit.at()))
                .build();
    }

    /** The task's resource use (Stats); a task not started yet has used nothing. */
    public WorkloadStats stats(String namespace, String id) throws TtrpcException {
        Workload w = initProcess(namespace, id, "").workload();
        return w == null ? WorkloadStats.NONE : w.stats();
    }

    /**
     * Applies an Update's resources to a running task: the memory limit reaches the app; settings a
     * WASM app has no means to enforce (CPU shares and quota, pids, block I/O, ...) are accepted and
     * logged as not enforced, so a kubelet resizing a pod does not fail on them.
     */
    public void update(String namespace, UpdateTaskRequest req) throws TtrpcException {
        Task task = initProcess(namespace, req.getId(), "");
        ResourceUpdate update;
        try {
            update = ResourceUpdate.parse(req);
        } catch (IllegalArgumentException e) {
            throw new TtrpcException(RpcCode.INVALID_ARGUMENT, "update of task " + task.key + ": " + e.getMessage());
        }
        Workload w = task.workload();
        if (task.status() != Status.RUNNING || w == null) {
            throw new TtrpcException(
                    RpcCode.FAILED_PRECONDITION,
                    "task " + task.key + " is " + task.status() + ": its resources can be updated while it runs");
        }
        if (update.memoryLimit() != null) {
            try {
                w.limitMemory(update.memoryLimit());
            } catch (WorkloadException e) {
                throw new TtrpcException(RpcCode.FAILED_PRECONDITION, "update of task " + task.key + ": " + why(e));
            }
        }
        if (!update.notEnforced().isEmpty()) {
            LOG.info(
                    "task " + task.key + ": update: " + String.join(", ", update.notEnforced())
                            + " not enforced by the wasmorch shim (a WASM app's threads are the daemon's, in no cgroup of the task)");
        }
    }

    public List<Integer> pids(String namespace, String id) throws TtrpcException {
        Task task = initProcess(namespace, id, "");
        return task.status() == Status.STOPPED ? List.of() : List.of(pid);
    }

    /** Ensures the task exists (Connect, Shutdown). */
    public void require(String namespace, String id) throws TtrpcException {
        initProcess(namespace, id, "");
    }

    /**
     * Stops every workload (daemon shutdown): apps release their listeners and Redis keys. Nobody
     * asked these apps to stop, so they end as killed by SIGTERM (143), not as completed. The
     * cgroups the daemon made for them go too: which ones it made is known only to this daemon, and
     * a Delete that may follow finds nothing left to remove.
     */
    public void stopAll() {
        for (Task task : tasks.values()) {
            exited(task, 128 + 15);
            removeCgroup(task);
        }
    }

    /**
     * Ends the task once, whatever ends it first: stops its workload and closes its stdout and
     * stderr, then records the exit (Wait returns) and reports it, so that an exited task has
     * released its port and registration, and CRI's log copier has read the end of the app's output
     * before containerd deletes the task (it logs "file already closed" errors otherwise).
     */
    private void exited(Task task, int code) {
        if (!task.beginExit()) {
            return; // also the app's own exit that follows from stopping it below
        }
        Workload w = task.workload();
        if (w != null) {
            try {
                w.stop();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "task " + task.key + ": stopping the app failed", e);
            }
        }
        closeStdio(task);
        ExitStatus status = new ExitStatus(code, clock.instant());
        task.exited(status);
        events.publish(task.key.namespace(), TaskEvent.exit(task.key.id(), pid, status));
    }

    private Task initProcess(String namespace, String id, String execId) throws TtrpcException {
        if (execId != null && !execId.isEmpty()) {
            throw new TtrpcException(
                    RpcCode.NOT_FOUND,
                    "exec process " + execId + " of task " + namespace + "/" + id + ": exec is not supported");
        }
        Task task = tasks.get(new TaskKey(namespace, id));
        if (task == null) {
            throw new TtrpcException(RpcCode.NOT_FOUND, "task " + namespace + "/" + id + " not found");
        }
        return task;
    }

    /** What containerd and the user see of a workload's refusal: {@code memory_limit: needs 2 pages ...}. */
    private static String why(WorkloadException e) {
        return e.reason() + ": " + e.getMessage();
    }

    private static void closeStdio(Task task) {
        closeQuietly(task.stdout);
        closeQuietly(task.stderr);
    }

    private static void closeQuietly(StdioSink s) {
        if (s != null) {
            s.close();
        }
    }

    private static OutputStream orDiscard(StdioSink s) {
        return s == null ? OutputStream.nullOutputStream() : s;
    }
}
