package dev.wasmorch.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Desired state of a {@link WasmApp}. Field names of the study's CRD are kept verbatim. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WasmAppSpec {
    /** Also used when validating in the operator, since a mock or old API server may skip the schema. */
    public static final String IMAGE_PATTERN = "^[a-z0-9][a-z0-9._/:-]*$";

    public static final String TAG_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

    @JsonPropertyDescription("Number of pods running the function.")
    @Default("1")
    @Min(0)
    private Integer replicas = 1;

    @JsonPropertyDescription("OCI image holding the WebAssembly component, without tag (e.g. ghcr.io/acme/hello).")
    @Required
    @Pattern(IMAGE_PATTERN)
    private String ociImage;

    @JsonPropertyDescription("Tag of ociImage.")
    @Required
    @Pattern(TAG_PATTERN)
    private String ociImageTag;

    @JsonPropertyDescription(
            "Allows the function outbound HTTP; passed to the shim as pod annotation wasmorch.dev/outbound-http.")
    @Default("false")
    private Boolean outboundHttp = false;

    @JsonPropertyDescription("Name of a docker-registry Secret used to pull ociImage.")
    private String imagePullSecret;

    @JsonPropertyDescription("RuntimeClass that runs the WebAssembly pods; it must exist.")
    @Default("spin")
    private String runtimeClass = "spin";

    @JsonPropertyDescription("Creates an Ingress for the function.")
    @Default("false")
    private Boolean ingressEnabled = false;

    @JsonPropertyDescription("IngressClass of the Ingress; the cluster default when empty.")
    private String ingressClass;

    @JsonPropertyDescription("Host name the Ingress routes to the function; required when ingressEnabled.")
    private String ingressHost;

    @JsonPropertyDescription("Terminates TLS at the Ingress with the Secret <name>-tls.")
    @Default("false")
    private Boolean ingressTlsEnabled = false;

    @JsonPropertyDescription(
            "host: the study's host networking with shim-chosen ports published through Redis; pod: ordinary pod networking.")
    @Default("host")
    private NetworkMode networkMode = NetworkMode.HOST;

    @JsonPropertyDescription("Service port; in pod mode also the container port.")
    @Default("80")
    @Min(1)
    @Max(65535)
    private Integer port = 80;

    @JsonPropertyDescription("Compute resources of the function's container.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Environment variables of the function's container.")
    private List<EnvVar> env = new ArrayList<>();

    @JsonPropertyDescription("Node labels the pods must match.")
    private Map<String, String> nodeSelector = new LinkedHashMap<>();

    @JsonPropertyDescription("Tolerations of the pods.")
    private List<Toleration> tolerations = new ArrayList<>();

    @JsonPropertyDescription("Extra annotations on the pods (wasmorch.dev/* annotations are reserved).")
    private Map<String, String> annotations = new LinkedHashMap<>();

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getOciImage() {
        return ociImage;
    }

    public void setOciImage(String ociImage) {
        this.ociImage = ociImage;
    }

    public String getOciImageTag() {
        return ociImageTag;
    }

    public void setOciImageTag(String ociImageTag) {
        this.ociImageTag = ociImageTag;
    }

    public Boolean getOutboundHttp() {
        return outboundHttp;
    }

    public void setOutboundHttp(Boolean outboundHttp) {
        this.outboundHttp = outboundHttp;
    }

    public String getImagePullSecret() {
        return imagePullSecret;
    }

    public void setImagePullSecret(String imagePullSecret) {
        this.imagePullSecret = imagePullSecret;
    }

    public String getRuntimeClass() {
        return runtimeClass;
    }

    public void setRuntimeClass(String runtimeClass) {
        this.runtimeClass = runtimeClass;
    }

    public Boolean getIngressEnabled() {
        return ingressEnabled;
    }

    public void setIngressEnabled(Boolean ingressEnabled) {
        this.ingressEnabled = ingressEnabled;
    }

    public String getIngressClass() {
        return ingressClass;
    }

    public void setIngressClass(String ingressClass) {
        this.ingressClass = ingressClass;
    }

    public String getIngressHost() {
        return ingressHost;
    }

    public void setIngressHost(String ingressHost) {
        this.ingressHost = ingressHost;
    }

    public Boolean getIngressTlsEnabled() {
        return ingressTlsEnabled;
    }

    public void setIngressTlsEnabled(Boolean ingressTlsEnabled) {
        this.ingressTlsEnabled = ingressTlsEnabled;
    }

    public NetworkMode getNetworkMode() {
        return networkMode;
    }

    public void setNetworkMode(NetworkMode networkMode) {
        this.networkMode = networkMode;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }
}
