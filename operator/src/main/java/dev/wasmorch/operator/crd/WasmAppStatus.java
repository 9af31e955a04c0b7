package dev.wasmorch.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of a {@link WasmApp}, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WasmAppStatus {
    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready pods of the function's Deployment.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Ready, Progressing and Degraded conditions.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Where the function is reached: the Ingress URL, else the in-cluster Service URL.")
    private String url;

    @JsonPropertyDescription("host:port of every ready pod (host mode: the shim-chosen ports).")
    private List<String> endpoints = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WasmAppStatus s
                && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(readyReplicas, s.readyReplicas)
                && Objects.equals(conditions, s.conditions)
                && Objects.equals(url, s.url)
                && Objects.equals(endpoints, s.endpoints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, readyReplicas, conditions, url, endpoints);
    }
}
