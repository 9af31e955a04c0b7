package dev.wasmorch.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the function's pods are reached. */
public enum NetworkMode {
    /** The study's mode: pods share the node's network, the shim binds an OS-chosen port per pod. */
    @JsonProperty("host")
    HOST,
    /** Ordinary pod networking with a fixed container port and a selector Service. */
    @JsonProperty("pod")
    POD
}
