/*
 * libwasmorch-shim.so: mount(2) and umount2(2) for the shim daemon (dev.wasmorch.shim.task.
 * MountSyscalls). Create mounts every task's rootfs on the container start path; running mount(8)
 * for it costs a fork from the JVM plus mount(8)'s own start-up, several milliseconds on a loaded
 * node, against well under one for the system call. Option parsing stays in Java (MountOptions).
 * And setns(2) into a pod's network namespace for the calling thread (dev.wasmorch.shim.task.
 * NetworkNamespace): a socket belongs to the namespace of the thread that creates it, which is
 * how a pod-network app listens at its pod's address though the daemon runs on the node's.
 * And setpriority(2) of the calling thread (dev.wasmorch.shim.task.ThreadNice): on Linux a nice
 * value belongs to a thread, and HotSpot ignores Java thread priorities by default.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

static const char *chars(JNIEnv *env, jstring s) {
    return s ? (*env)->GetStringUTFChars(env, s, NULL) : NULL;
}

static void release(JNIEnv *env, jstring s, const char *c) {
    if (s && c) {
        (*env)->ReleaseStringUTFChars(env, s, c);
    }
}

/* 0, or the errno mount(2) failed with */
JNIEXPORT jint JNICALL Java_dev_wasmorch_shim_task_MountSyscalls_mount0(JNIEnv *env, jclass cls, jstring source,
                                                                      jstring target, jstring type, jlong flags,
                                                                      jstring data) {
    (void)cls;
    const char *s = chars(env, source), *t = chars(env, target), *ty = chars(env, type), *d = chars(env, data);
    int err = 0;
    if ((source && !s) || (target && !t) || (type && !ty) || (data && !d)) {
        err = ENOMEM;
    } else if (mount(s, t, ty, (unsigned long)flags, d) != 0) {
        err = errno;
    }
    release(env, source, s);
    release(env, target, t);
    release(env, type, ty);
    release(env, data, d);
    return err;
}

/* 0, or the errno umount2(2) failed with */
JNIEXPORT jint JNICALL Java_dev_wasmorch_shim_task_MountSyscalls_umount0(JNIEnv *env, jclass cls, jstring target) {
    (void)cls;
    const char *t = chars(env, target);
    int err = !t ? ENOMEM : umount2(t, 0) != 0 ? errno : 0;
    release(env, target, t);
    return err;
}

JNIEXPORT jstring JNICALL Java_dev_wasmorch_shim_task_MountSyscalls_strerror0(JNIEnv *env, jclass cls, jint err) {
    (void)cls;
    return (*env)->NewStringUTF(env, strerror(err));
}

/* 0, or the errno opening the namespace file or setns(2) failed with; only the calling thread moves */
JNIEXPORT jint JNICALL Java_dev_wasmorch_shim_task_NetworkNamespace_setns0(JNIEnv *env, jclass cls, jstring path) {
    (void)cls;
    const char *p = chars(env, path);
    int err = 0;
    if (!p) {
        err = ENOMEM;
    } else {
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            err = errno;
        } else {
            if (setns(fd, CLONE_NEWNET) != 0) {
                err = errno;
            }
            close(fd);
        }
    }
    release(env, path, p);
    return err;
}

/* 0, or the errno setpriority(2) failed with; on Linux PRIO_PROCESS with a thread id sets that thread's nice */
JNIEXPORT jint JNICALL Java_dev_wasmorch_shim_task_ThreadNice_nice0(JNIEnv *env, jclass cls, jint nice) {
    (void)env;
    (void)cls;
    return setpriority(PRIO_PROCESS, (id_t)gettid(), nice) == 0 ? 0 : errno;
}
