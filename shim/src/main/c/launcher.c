/*
 * containerd-shim-wasmorch-v1: the runtime v2 launcher of io.containerd.wasmorch.v1.
 *
 * containerd runs   <this> -namespace NS -address ADDR -publish-binary BIN -id ID [-debug] start
 * and               <this> -namespace NS -address ADDR -publish-binary BIN -id ID -bundle DIR delete
 * for every task. One long-lived JVM daemon per containerd instance and namespace serves all tasks,
 * so this program only talks to it:
 *   start   connects to the daemon's socket; if nobody answers, starts the daemon (under a lock,
 *           so concurrent starts launch one) and waits for it. Prints the daemon's TTRPC address,
 *           the only output containerd accepts (it reads stdout and stderr together).
 *   delete  asks the daemon over TTRPC to kill and delete the task if it still holds it, unmounts a
 *           rootfs left mounted, removes the cgroups recorded in the bundle when the daemon no
 *           longer knows the task, and prints the protobuf DeleteResponse containerd parses.
 *   daemon  (run by a service manager, not by containerd: <this> -namespace NS -address ADDR daemon)
 *           starts the daemon ahead of the first pod and stays in the foreground until it ends, so
 *           no pod's RunPodSandbox waits for the JVM; watches a daemon that already serves instead.
 * Why C: containerd execs this twice per task on the start and delete paths; a static binary
 * starts in about a millisecond, a shell script in tens, a JVM in hundreds.
 *
 * Environment (containerd passes its own through):
 *   WASMORCH_SHIM_STATE_DIR  daemon sockets, pid files and logs (default /run/wasmorch-shim)
 *   WASMORCH_SHIM_CLASSPATH  the daemon's class path (default: every jar in ../lib beside this binary)
 *   WASMORCH_SHIM_JAVA       java executable (default: java on PATH)
 *   WASMORCH_SHIM_JAVA_OPTS  extra JVM options for the daemon, split at white space
 *   TTRPC_ADDRESS            set by containerd: where the daemon forwards task events (daemon: ADDR.ttrpc)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG "containerd-shim-wasmorch-v1"
#define MAIN_CLASS "dev.wasmorch.shim.daemon.ShimMain"
#define TASK_SERVICE "containerd.task.v2.Task"
#define NAMESPACE_KEY "containerd-namespace-ttrpc"
/* Longest state dir + key kept readable; beyond it the key is hashed (sun_path holds 107 bytes). */
#define MAX_READABLE 80
#define CALL_TIMEOUT_SEC 2    /* containerd gives delete 5 s in all */
#define START_WAIT_TICKS 1200 /* x 50 ms: a cold JVM on a busy node */
#define SIGKILL_NUM 9
#define RPC_NOT_FOUND 5
#define MAX_FRAME (4 << 20)   /* ttrpc's message size limit */
#define CGROUP_RECORD "wasmorch-cgroups" /* TaskCgroups' record in the bundle (CgroupRecord.java) */
#define CGROUP_ROOT "/sys/fs/cgroup/"
#define CGROUP_RECORD_MAX 65536 /* a task's levels in a dozen hierarchies take a few KB */

static void die(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs(PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(code);
}

static char *xasprintf(const char *fmt, ...) {
    va_list ap;
    char *s;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0) {
        die(1, "out of memory");
    }
    va_end(ap);
    return s;
}

/* ---- the daemon's directory: one per containerd address and namespace ---- */

static char *sanitize(const char *s) {
    char *out = strdup(s);
    for (char *p = out; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.'
              || *p == '_' || *p == '-')) {
            *p = '_';
        }
    }
    return out;
}

/* FNV-1a, 64 bit: a short stable key for long addresses (not a security boundary). */
static uint64_t fnv1a(const char *a, const char *b) {
    uint64_t h = 14695981039346656037ULL;
    for (const char *p = a; *p; p++) { h = (h ^ (unsigned char)*p) * 1099511628211ULL; }
    h = (h ^ '\n') * 1099511628211ULL;
    for (const char *p = b; *p; p++) { h = (h ^ (unsigned char)*p) * 1099511628211ULL; }
    return h;
}

static char *daemon_dir(const char *state, const char *namespace, const char *address) {
    char *ns = sanitize(namespace), *addr = sanitize(address);
    char *key = xasprintf("%s@%s", ns, addr);
    if (strlen(state) + strlen(key) > MAX_READABLE) {
        free(key);
        key = xasprintf("%016llx", (unsigned long long)fnv1a(address, namespace));
    }
    return xasprintf("%s/%s", state, key);
}

/* ---- the daemon's socket ---- */

/* A connected socket to the daemon, or -1 when nobody listens there. */
static int connect_daemon(const char *sock) {
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(sock) >= sizeof sa.sun_path) {
        die(1, "socket path %s is longer than %zu bytes: shorten WASMORCH_SHIM_STATE_DIR", sock,
            sizeof sa.sun_path - 1);
    }
    strcpy(sa.sun_path, sock);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        die(1, "socket: %s", strerror(errno));
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void mkdirs(char *path, mode_t mode) {
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(path, 0755) != 0 && errno != EEXIST) {
                die(1, "cannot create %s: %s", path, strerror(errno));
            }
            *p = '/';
        }
    }
    if (mkdir(path, mode) != 0 && errno != EEXIST) {
        die(1, "cannot create %s: %s", path, strerror(errno));
    }
    chmod(path, mode);
}

/* The last `lines` lines of a file on stderr (why the daemon did not come up). */
static void tail_to_stderr(const char *path, int lines) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    static char buf[16384];
    off_t size = lseek(fd, 0, SEEK_END);
    off_t from = size > (off_t)sizeof buf ? size - (off_t)sizeof buf : 0;
    ssize_t n = pread(fd, buf, sizeof buf, from);
    close(fd);
    if (n <= 0) {
        return;
    }
    ssize_t start = n;
    int seen = 0;
    if (buf[n - 1] == '\n') {
        start--;
    }
    while (start > 0 && seen < lines) {
        if (buf[--start] == '\n') {
            seen++;
        }
    }
    if (buf[start] == '\n') {
        start++;
    }
    fwrite(buf + start, 1, (size_t)(n - start), stderr);
}

/* The directory this binary lives in (symlinks resolved), for the default class path. */
static char *self_dir(void) {
    static char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) {
        die(1, "cannot resolve /proc/self/exe: %s", strerror(errno));
    }
    path[n] = 0;
    *strrchr(path, '/') = 0;
    return path;
}

/* Jar files only: the class path is every jar of the lib directory. */
static int is_jar(const struct dirent *e) {
    size_t n = strlen(e->d_name);
    return n > 4 && !strcmp(e->d_name + n - 4, ".jar");
}

/*
 * The daemon's class path: WASMORCH_SHIM_CLASSPATH, else every jar in ../lib beside this binary,
 * sorted by strcmp and relative to the install root *root, where the daemon then starts. That is
 * the list bin/build-cds records the class-data sharing archive for: JDK 17 accepts an archive at
 * another location only for a relative class path (and jars with their times kept), and a class
 * path wildcard would expand in directory order, which differs between two copies of lib.
 * Sets *archive to the archive beside the jars when it exists and the class path is lib's own.
 */
static char *class_path(char **archive, char **root) {
    *archive = NULL;
    *root = NULL;
    const char *override = getenv("WASMORCH_SHIM_CLASSPATH");
    if (override && *override) {
        return strdup(override);
    }
    *root = xasprintf("%s/..", self_dir());
    char *lib = xasprintf("%s/lib", *root);
    struct dirent **jars;
    int n = scandir(lib, &jars, is_jar, alphasort);
    if (n <= 0) {
        die(1, "no jar files in %s (WASMORCH_SHIM_CLASSPATH unset): see shim/README.md, Install", lib);
    }
    size_t len = 1;
    for (int i = 0; i < n; i++) {
        len += strlen("lib/:") + strlen(jars[i]->d_name);
    }
    char *cp = calloc(1, len);
    if (!cp) {
        die(1, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        strcat(strcat(strcat(cp, i ? ":" : ""), "lib/"), jars[i]->d_name);
    }
    char *jsa = xasprintf("%s/wasmorch-shim.jsa", lib);
    if (access(jsa, R_OK) == 0) {
        *archive = jsa;
    }
    return cp;
}

/* The daemon JVM's command line. */
static const char **daemon_argv(const char *sock, const char *namespace, const char *ttrpc, const char *pidfile,
                                char **root) {
    const char *java = getenv("WASMORCH_SHIM_JAVA");
    const char *opts = getenv("WASMORCH_SHIM_JAVA_OPTS");
    if (!java || !*java) {
        java = "java";
    }
    char *archive;
    char *classpath = class_path(&archive, root);
    char *words = strdup(opts ? opts : "");
    static const char *argv[64 + 20];
    int argc = 0;
    argv[argc++] = java;
    argv[argc++] = "-XX:+UseSerialGC";
    if (archive) {
        /* another JVM than the one that built it ignores the archive (auto), it does not fail */
        argv[argc++] = xasprintf("-XX:SharedArchiveFile=%s", archive);
        argv[argc++] = "-Xshare:auto";
        argv[argc++] = "-Xlog:cds=off";
    }
    /* the daemon mounts rootfs snapshots with the JNI library built beside this binary */
    argv[argc++] = xasprintf("-Dwasmorch.shim.native=%s/libwasmorch-shim.so", self_dir());
    int options = 0;
    for (char *w = strtok(words, " \t\n"); w; w = strtok(NULL, " \t\n")) {
        if (++options > 58) {
            die(1, "WASMORCH_SHIM_JAVA_OPTS has more than 58 options");
        }
        argv[argc++] = w;
    }
    const char *rest[] = {"-cp", classpath, MAIN_CLASS, "daemon", "-socket", sock, "-namespace", namespace,
                          "-ttrpc-address", ttrpc, "-pid-file", pidfile, NULL};
    for (int i = 0; rest[i]; i++) {
        argv[argc++] = rest[i];
    }
    argv[argc] = NULL;
    return argv;
}

/* Holds the daemon directory's lock: concurrent starts launch one daemon. */
static int lock_dir(const char *dir) {
    char *lock = xasprintf("%s/lock", dir);
    int fd = open(lock, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        die(1, "cannot lock %s: %s", lock, strerror(errno));
    }
    return fd;
}

/*
 * Starts the daemon JVM (own session, stdio on daemon.log: containerd reads start's output until
 * EOF, so the daemon must not hold that pipe) and waits until it is ready. The caller holds the lock.
 */
static pid_t launch_daemon(const char *dir, const char *sock, const char *namespace, const char *ttrpc) {
    char *pidfile = xasprintf("%s/daemon.pid", dir), *log = xasprintf("%s/daemon.log", dir);
    char *root;
    const char **argv = daemon_argv(sock, namespace, ttrpc, pidfile, &root);
    unlink(pidfile);
    unlink(sock);

    pid_t pid = fork();
    if (pid < 0) {
        die(1, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        setsid();
        int in = open("/dev/null", O_RDONLY);
        int out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) {
            _exit(127);
        }
        if (root && chdir(root) != 0) {
            fprintf(stderr, PROG ": cannot enter %s: %s\n", root, strerror(errno));
            _exit(127);
        }
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, PROG ": cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    for (int i = 0; i < START_WAIT_TICKS; i++) {
        int fd;
        /* the daemon writes its pid file once its socket accepts (ShimDaemon.start) */
        if (access(pidfile, F_OK) == 0 && (fd = connect_daemon(sock)) >= 0) {
            close(fd);
            return pid;
        }
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            fprintf(stderr, "wasmorch shim daemon exited during start-up; see %s:\n", log);
            tail_to_stderr(log, 20);
            exit(1);
        }
        usleep(50 * 1000);
    }
    die(1, "wasmorch shim daemon did not come up within 60 s; see %s", log);
    return -1;
}

/* start: a running daemon, or one launched now. */
static void ensure_daemon(const char *dir, const char *sock, const char *namespace) {
    int lockfd = lock_dir(dir);
    int fd = connect_daemon(sock); /* another start may have launched it while we waited */
    if (fd >= 0) {
        close(fd);
    } else {
        const char *ttrpc = getenv("TTRPC_ADDRESS");
        launch_daemon(dir, sock, namespace, ttrpc ? ttrpc : "");
    }
    close(lockfd);
}

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig) {
    stop_signal = sig;
}

/* The pid in the daemon's pid file, or -1. */
static pid_t read_pid(const char *dir) {
    char *pidfile = xasprintf("%s/daemon.pid", dir);
    FILE *f = fopen(pidfile, "re");
    long pid = -1;
    if (f) {
        if (fscanf(f, "%ld", &pid) != 1) {
            pid = -1;
        }
        fclose(f);
    }
    return pid > 0 ? (pid_t)pid : -1;
}

/*
 * daemon: the node's daemon, started ahead of the first pod and kept in the foreground for a
 * service manager. If a daemon already serves (a pod's start launched it), this command watches
 * that one instead of starting a second. It ends when the daemon ends (exit 1, so the service
 * manager restarts it) or when it is told to stop (SIGTERM, SIGINT: passed on to the daemon, exit 0).
 */
static int run_daemon(const char *dir, const char *sock, const char *namespace, const char *address) {
    struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: waits end on the signal */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    const char *env = getenv("TTRPC_ADDRESS");
    /* containerd serves its TTRPC (events) beside its gRPC socket and tells shims so; do the same */
    char *ttrpc = env && *env ? strdup(env) : xasprintf("%s.ttrpc", address);
    int lockfd = lock_dir(dir);
    int fd = connect_daemon(sock);
    pid_t pid, child = -1;
    if (fd >= 0) {
        close(fd);
        pid = read_pid(dir);
        if (pid < 0) {
            die(1, "a daemon serves %s but %s/daemon.pid names none", sock, dir);
        }
        printf("wasmorch shim daemon %d already serves unix://%s; watching it\n", (int)pid, sock);
    } else {
        pid = child = launch_daemon(dir, sock, namespace, ttrpc);
        printf("wasmorch shim daemon %d serves unix://%s (log %s/daemon.log)\n", (int)pid, sock, dir);
    }
    fflush(stdout);
    close(lockfd);
    int status = 0;
    while (!stop_signal) {
        if (child > 0) {
            if (waitpid(child, &status, 0) == child) {
                break;
            }
        } else if (kill(pid, 0) != 0 && errno == ESRCH) {
            break;
        } else {
            sleep(1);
        }
    }
    if (!stop_signal) {
        if (child > 0 && WIFSIGNALED(status)) {
            fprintf(stderr, PROG ": daemon %d killed by signal %d; see %s/daemon.log\n", (int)pid, WTERMSIG(status), dir);
        } else if (child > 0) {
            fprintf(stderr, PROG ": daemon %d exited with %d; see %s/daemon.log\n", (int)pid, WEXITSTATUS(status), dir);
        } else {
            fprintf(stderr, PROG ": daemon %d ended; see %s/daemon.log\n", (int)pid, dir);
        }
        return 1;
    }
    kill(pid, stop_signal);
    if (child > 0) {
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
        }
    }
    printf("wasmorch shim daemon %d stopped (signal %d)\n", (int)pid, (int)stop_signal);
    return 0;
}

/* ---- protobuf and TTRPC, just what delete needs ---- */

typedef struct {
    uint8_t *data;
    size_t len, cap;
} buf_t;

static void put(buf_t *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->data = realloc(b->data, b->cap);
        if (!b->data) {
            die(1, "out of memory");
        }
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_varint(buf_t *b, uint64_t v) {
    uint8_t tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    put(b, tmp, n);
}

/* proto3: scalars equal to their default are left out, as Go's encoder does */
static void put_uint(buf_t *b, int field, uint64_t v) {
    if (v) {
        put_varint(b, (uint64_t)field << 3);
        put_varint(b, v);
    }
}

static void put_bytes(buf_t *b, int field, const void *p, size_t n) {
    put_varint(b, (uint64_t)field << 3 | 2);
    put_varint(b, n);
    put(b, p, n);
}

static void put_string(buf_t *b, int field, const char *s) {
    if (*s) {
        put_bytes(b, field, s, strlen(s));
    }
}

typedef struct {
    const uint8_t *p, *end;
} reader_t;

static int get_varint(reader_t *r, uint64_t *v) {
    *v = 0;
    for (int shift = 0; shift < 64 && r->p < r->end; shift += 7) {
        uint8_t c = *r->p++;
        *v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            return 0;
        }
    }
    return -1;
}

/*
 * The next field: its number, and for length-delimited ones the bytes; other wire types are
 * skipped. 1 = a field was read, 0 = end, -1 = malformed.
 */
static int next_field(reader_t *r, int *field, uint64_t *value, reader_t *sub) {
    uint64_t key, n;
    if (r->p >= r->end) {
        return 0;
    }
    if (get_varint(r, &key) != 0) {
        return -1;
    }
    *field = (int)(key >> 3);
    switch (key & 7) {
    case 0:
        return get_varint(r, value) == 0 ? 1 : -1;
    case 1:
    case 5: {
        size_t w = (key & 7) == 1 ? 8 : 4;
        if ((size_t)(r->end - r->p) < w) {
            return -1;
        }
        r->p += w;
        *value = 0;
        return 1;
    }
    case 2:
        if (get_varint(r, &n) != 0 || n > (uint64_t)(r->end - r->p)) {
            return -1;
        }
        sub->p = r->p;
        sub->end = r->p + n;
        r->p += n;
        return 1;
    default:
        return -1;
    }
}

static int write_all(int fd, const uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

typedef struct {
    int code;          /* google.rpc.Code; -1: transport failure */
    char message[512]; /* the status message, or what went wrong on the wire */
    buf_t payload;
} reply_t;

/*
 * One unary call: ttrpc's frame (length, stream id, type 1 = request, flags; big endian) around a
 * ttrpc.Request {service 1, method 2, payload 3, timeout_nano 4, metadata 5 {key 1, value 2}}; the
 * answer is a ttrpc.Response {status 1 {code 1, message 2}, payload 2}.
 */
static reply_t call(int fd, uint32_t stream, const char *method, const buf_t *msg, const char *namespace) {
    reply_t rep = {.code = -1};
    buf_t req = {0}, md = {0}, frame = {0};
    put_string(&req, 1, TASK_SERVICE);
    put_string(&req, 2, method);
    put_bytes(&req, 3, msg->data, msg->len);
    put_uint(&req, 4, (uint64_t)CALL_TIMEOUT_SEC * 1000000000ULL);
    put_string(&md, 1, NAMESPACE_KEY);
    put_string(&md, 2, namespace);
    put_bytes(&req, 5, md.data, md.len);
    uint8_t hdr[10] = {(uint8_t)(req.len >> 24), (uint8_t)(req.len >> 16), (uint8_t)(req.len >> 8), (uint8_t)req.len,
                       (uint8_t)(stream >> 24), (uint8_t)(stream >> 16), (uint8_t)(stream >> 8), (uint8_t)stream, 1, 0};
    put(&frame, hdr, sizeof hdr);
    put(&frame, req.data, req.len);
    if (write_all(fd, frame.data, frame.len) != 0) {
        snprintf(rep.message, sizeof rep.message, "%s: writing the request: %s", method, strerror(errno));
        return rep;
    }
    for (;;) {
        uint8_t h[10];
        if (read_all(fd, h, sizeof h) != 0) {
            snprintf(rep.message, sizeof rep.message, "%s: no answer: %s", method,
                     errno ? strerror(errno) : "connection closed");
            return rep;
        }
        uint32_t len = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
        uint32_t id = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
        if (len > MAX_FRAME) {
            snprintf(rep.message, sizeof rep.message, "%s: frame of %u bytes exceeds the limit", method, len);
            return rep;
        }
        uint8_t *body = malloc(len ? len : 1);
        if (!body || read_all(fd, body, len) != 0) {
            snprintf(rep.message, sizeof rep.message, "%s: truncated answer", method);
            return rep;
        }
        if (id != stream || h[8] != 2) {
            free(body);
            continue; /* not our response */
        }
        reader_t r = {body, body + len}, sub;
        int field, rc;
        uint64_t v;
        rep.code = 0;
        while ((rc = next_field(&r, &field, &v, &sub)) == 1) {
            if (field == 1) {
                reader_t st = sub, m;
                while ((rc = next_field(&st, &field, &v, &m)) == 1) {
                    if (field == 1) {
                        rep.code = (int)v;
                    } else if (field == 2) {
                        snprintf(rep.message, sizeof rep.message, "%.*s", (int)(m.end - m.p), (const char *)m.p);
                    }
                }
            } else if (field == 2) {
                put(&rep.payload, sub.p, (size_t)(sub.end - sub.p));
            }
            if (rc < 0) {
                break;
            }
        }
        free(body);
        if (rc < 0) {
            rep.code = -1;
            snprintf(rep.message, sizeof rep.message, "%s: malformed answer", method);
        }
        return rep;
    }
}

/* Unmounts everything stacked on the bundle's rootfs (Create may have mounted more than one layer). */
static void unmount_rootfs(const char *bundle, const char *who) {
    char *rootfs = xasprintf("%s/rootfs", bundle);
    for (int i = 0; i < 16 && umount2(rootfs, 0) == 0; i++) {
    }
    /* EINVAL: not (or no longer) a mount point; ENOENT: no rootfs directory at all */
    if (errno != EINVAL && errno != ENOENT) {
        fprintf(stderr, "wasmorch-shim delete %s: umount %s: %s\n", who, rootfs, strerror(errno));
    }
}

/* Why a line of the cgroup record is no cgroup directory to remove, or NULL when it is one. */
static const char *cgroup_line_error(const char *line, size_t len) {
    if (len >= PATH_MAX) {
        return "line too long";
    }
    if (memchr(line, 0, len)) {
        return "NUL byte in the line";
    }
    if (len <= strlen(CGROUP_ROOT) || strncmp(line, CGROUP_ROOT, strlen(CGROUP_ROOT))) {
        return "not a path below " CGROUP_ROOT;
    }
    for (const char *name = line + 1, *end = line + len; name <= end;) {
        const char *slash = memchr(name, '/', (size_t)(end - name));
        size_t n = (size_t)((slash ? slash : end) - name);
        if (n == 0 || (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.')) {
            return "an empty, \".\" or \"..\" name in the path";
        }
        name += n + 1;
    }
    return NULL;
}

/* The line for a message: printable ASCII only, so a hostile record cannot forge log lines. */
static const char *printable(const char *line, size_t len) {
    static char out[128];
    size_t n = len < sizeof out - 1 ? len : sizeof out - 1;
    for (size_t i = 0; i < n; i++) {
        out[i] = line[i] >= 0x20 && line[i] < 0x7f ? line[i] : '?';
    }
    out[n] = 0;
    return out;
}

/*
 * rmdir of one recorded directory, walking to it one name at a time with O_NOFOLLOW so that no
 * symbolic link on the way (nor the directory itself: lstat) is followed. 0 = removed or gone,
 * otherwise the errno (ENOTEMPTY, EBUSY: a cgroup still in use; ELOOP: a link on the way).
 */
static int remove_cgroup_dir(char *path) {
    int dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char *name = path + 1;
    for (char *slash; dir >= 0 && (slash = strchr(name, '/')); name = slash + 1) {
        *slash = 0;
        int next = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int err = errno;
        *slash = '/';
        close(dir);
        dir = next;
        errno = err;
    }
    if (dir < 0) {
        return errno == ENOENT ? 0 : errno;
    }
    struct stat st;
    int rc = 0;
    if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        rc = errno == ENOENT ? 0 : errno;
    } else if (!S_ISDIR(st.st_mode)) {
        rc = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
    } else if (unlinkat(dir, name, AT_REMOVEDIR) != 0 && errno != ENOENT) {
        rc = errno;
    }
    close(dir);
    return rc;
}

/*
 * The cgroups the daemon made for the task, from its record in the bundle, when the daemon did not
 * delete the task (it died: its own memory of them went with it). The record lists each
 * hierarchy's levels deepest first; a directory that is not empty (another task's cgroup below a
 * pod's, or one in use) stops its hierarchy: its ancestors on later lines are skipped. The file is
 * the bundle's, so not trusted: only real directories below /sys/fs/cgroup are removed.
 */
static void remove_recorded_cgroups(const char *bundle, const char *who) {
    char *file = xasprintf("%s/" CGROUP_RECORD, bundle);
    int fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT) { /* ENOENT: the task had no cgroup, or its bundle is older than the record */
            fprintf(stderr, "wasmorch-shim delete %s: %s: %s; its cgroups are not removed\n", who, file, strerror(errno));
        }
        return;
    }
    struct stat st;
    static char text[CGROUP_RECORD_MAX + 1];
    ssize_t len = -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > CGROUP_RECORD_MAX
        || (len = pread(fd, text, CGROUP_RECORD_MAX + 1, 0)) < 0 || len > CGROUP_RECORD_MAX) {
        fprintf(stderr, "wasmorch-shim delete %s: %s: refused: not a regular file of at most %d bytes; its cgroups are "
                        "not removed\n", who, file, CGROUP_RECORD_MAX);
        len = 0;
    }
    close(fd);
    char stopped[PATH_MAX] = "";
    int lineno = 0;
    for (char *line = text, *end = text + len; line < end;) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = (size_t)((nl ? nl : end) - line);
        lineno++;
        const char *error = cgroup_line_error(line, n);
        if (error) {
            fprintf(stderr, "wasmorch-shim delete %s: %s:%d: refused: %s: \"%s\"\n", who, file, lineno, error,
                    printable(line, n));
        } else {
            line[n] = 0;
            size_t s = strlen(stopped);
            if (s > n && !strncmp(stopped, line, n) && stopped[n] == '/') {
                /* above a cgroup that stays: not empty either */
            } else {
                int err = remove_cgroup_dir(line);
                if (err) {
                    strcpy(stopped, line);
                }
                if (err && err != ENOTEMPTY && err != EBUSY) {
                    fprintf(stderr, "wasmorch-shim delete %s: %s:%d: %s: %s\n", who, file, lineno, line,
                            err == ELOOP ? "a symbolic link on the way, refused" : strerror(err));
                }
            }
        }
        line += n + 1;
    }
    if (unlink(file) != 0 && errno != ENOENT) {
        fprintf(stderr, "wasmorch-shim delete %s: cannot remove %s: %s\n", who, file, strerror(errno));
    }
}

static void do_delete(const char *sock, const char *namespace, const char *id, const char *bundle) {
    char *who = xasprintf("%s/%s", namespace, id);
    buf_t response = {0};
    int have = 0, held = 0; /* held: the daemon answered it still has the task, so its cgroups are its own */
    int fd = connect_daemon(sock);
    if (fd >= 0) {
        struct timeval tv = {.tv_sec = CALL_TIMEOUT_SEC};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        buf_t kill = {0}, del = {0};
        put_string(&kill, 1, id); /* KillRequest {id 1, exec_id 2, signal 3, all 4} */
        put_uint(&kill, 3, SIGKILL_NUM);
        put_uint(&kill, 4, 1);
        reply_t k = call(fd, 1, "Kill", &kill, namespace);
        if (k.code == 0 || k.code == RPC_NOT_FOUND) {
            /* Kill replies before the task has exited (its app stops first, as a signalled
             * process dies after kill(2) returns): Delete would find it still running. */
            buf_t wait = {0};
            put_string(&wait, 1, id); /* WaitRequest {id 1, exec_id 2} */
            call(fd, 3, "Wait", &wait, namespace); /* NotFound or an exit: either way it ended */
            put_string(&del, 1, id); /* DeleteRequest {id 1, exec_id 2} */
            reply_t d = call(fd, 5, "Delete", &del, namespace);
            if (d.code == 0) {
                response = d.payload;
                have = 1;
            } else if (d.code != RPC_NOT_FOUND) {
                held = d.code > 0;
                fprintf(stderr, "wasmorch-shim delete %s: %s\n", who, d.message);
            }
        } else {
            held = k.code > 0;
            fprintf(stderr, "wasmorch-shim delete %s: %s\n", who, k.message);
        }
        close(fd);
    }
    if (bundle && *bundle) {
        unmount_rootfs(bundle, who);
        if (!have && !held) {
            remove_recorded_cgroups(bundle, who);
        }
    }
    if (!have) {
        /*
         * The daemon no longer knows the task (already deleted, or the daemon died): report it
         * killed now, as runc's shim does for a container it cleans up after.
         * DeleteResponse {pid 1, exit_status 2, exited_at 3 {seconds 1, nanos 2}}.
         */
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        buf_t ts = {0};
        put_uint(&ts, 1, (uint64_t)now.tv_sec);
        put_uint(&ts, 2, (uint64_t)now.tv_nsec);
        put_uint(&response, 2, 128 + SIGKILL_NUM);
        put_bytes(&response, 3, ts.data, ts.len);
    }
    if (write_all(1, response.data, response.len) != 0) {
        die(1, "writing the DeleteResponse: %s", strerror(errno));
    }
}

/* ---- command line (Go's flag syntax: -name value, --name value, -name=value) ---- */

int main(int argc, char **argv) {
    /* a daemon closing the connection mid-call is an error to report, not a reason to die silently */
    signal(SIGPIPE, SIG_IGN);
    const char *namespace = "", *address = "", *id = "", *bundle = "", *action = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "start") || !strcmp(a, "delete") || !strcmp(a, "daemon")) {
            action = a;
            continue;
        }
        const char *name = a[0] == '-' ? a + (a[1] == '-' ? 2 : 1) : NULL;
        if (!name) {
            die(2, "unknown argument: %s", a);
        }
        if (!strcmp(name, "v") || !strcmp(name, "version")) {
            puts(PROG " (wasmorch shim, runtime io.containerd.wasmorch.v1)");
            return 0;
        }
        if (!strncmp(name, "debug", 5) && (name[5] == 0 || name[5] == '=')) {
            continue;
        }
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const char **slot = NULL;
        if (len == 9 && !strncmp(name, "namespace", len)) slot = &namespace;
        else if (len == 7 && !strncmp(name, "address", len)) slot = &address;
        else if (len == 2 && !strncmp(name, "id", len)) slot = &id;
        else if (len == 6 && !strncmp(name, "bundle", len)) slot = &bundle;
        else if (len == 14 && !strncmp(name, "publish-binary", len)) slot = NULL; /* events go over TTRPC_ADDRESS */
        else die(2, "unknown argument: %s", a);
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!value) {
            die(2, "%s needs a value", a);
        }
        if (slot) {
            *slot = value;
        }
    }
    if (!action) {
        die(2, "no action (start, delete or daemon)");
    }
    if (!*id && strcmp(action, "daemon")) {
        die(2, "-id is required");
    }
    if (!strcmp(action, "daemon") && (!*address || !*namespace)) {
        die(2, "daemon needs -namespace (k8s.io for Kubernetes) and -address (containerd's socket, e.g. "
               "/run/k3s/containerd/containerd.sock)");
    }
    const char *state = getenv("WASMORCH_SHIM_STATE_DIR");
    if (!state || !*state) {
        state = "/run/wasmorch-shim";
    }
    if (state[0] != '/') {
        die(2, "WASMORCH_SHIM_STATE_DIR must be an absolute path, not %s", state);
    }
    char *dir = daemon_dir(state, namespace, address);
    char *sock = xasprintf("%s/shim.sock", dir);
    if (!strcmp(action, "delete")) {
        do_delete(sock, namespace, id, bundle);
        return 0;
    }
    if (!strcmp(action, "daemon")) {
        mkdirs(dir, 0700);
        return run_daemon(dir, sock, namespace, address);
    }
    int fd = connect_daemon(sock);
    if (fd >= 0) {
        close(fd);
    } else {
        mkdirs(dir, 0700);
        ensure_daemon(dir, sock, namespace);
    }
    /* containerd reconnects to shims through the bundle's address file after a restart */
    char *addr = xasprintf("unix://%s", sock);
    int af = open("address", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (af < 0 || write_all(af, (const uint8_t *)addr, strlen(addr)) != 0 || close(af) != 0) {
        die(1, "cannot write the address file in %s: %s", getcwd(NULL, 0), strerror(errno));
    }
    printf("%s\n", addr);
    return 0;
}
