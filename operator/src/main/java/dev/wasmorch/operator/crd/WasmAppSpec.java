package dev.wasmorch.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.wasmorch.contract.pod.PodLabels;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Desired state of a {@link WasmApp}. Field names of the study's CRD are kept verbatim. The
 * annotations become the CRD's OpenAPI schema and CEL rules, so the API server refuses a bad spec
 * at once; {@code SpecValidator} checks the same again in the operator, since objects written
 * before a schema change, or to a server that skips validation, still arrive there. Patterns that
 * CEL rules embed use {@code [.]} rather than a backslash, which a CEL string would need doubled.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.ociImageTag) || self.ociImage.contains('@')",
        message = "spec.ociImageTag: required unless spec.ociImage is pinned by digest (name@sha256:...)")
@ValidationRule(
        value = "!has(self.ingressEnabled) || !self.ingressEnabled || has(self.ingressHost)",
        message = "spec.ingressHost: required when ingressEnabled is true")
public class WasmAppSpec {
    /**
     * The schema's upper bound of {@code replicas}. The operator's {@code --max-replicas} sets a
     * lower one per installation; a higher one needs this maximum patched in the CRD as well.
     */
    public static final int MAX_REPLICAS = 1000;

    /** Entries of {@code annotations} and {@code nodeSelector}; also bounds what their CEL rules cost. */
    public static final int MAX_MAP_ENTRIES = 32;

    /** Annotation keys the operator sets on pods (the pipeline's analyzer trusts them). */
    public static final String RESERVED_PREFIX = PodLabels.RESERVED_PREFIX;

    /** RuntimeClass, Secret and IngressClass names, host names; at most {@link #DNS_1123_SUBDOMAIN_MAX}. */
    public static final String DNS_1123_SUBDOMAIN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    public static final int DNS_1123_SUBDOMAIN_MAX = 253;

    /** An Ingress host: a DNS-1123 subdomain, or {@code *.} and one (a wildcard host, as Ingress allows). */
    public static final String INGRESS_HOST =
            "^([*][.])?[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /**
     * A Kubernetes qualified name (annotation and label keys): an optional DNS-1123 subdomain prefix
     * and '/', then a name of at most 63 characters. The prefix's limit of 253 is a rule of its own.
     */
    public static final String QUALIFIED_NAME = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
            + "([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$";

    /** A label value: empty, or at most 63 characters like a qualified name's name part. */
    public static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$";

    public static final int LABEL_VALUE_MAX = 63;

    /**
     * The distribution reference grammar's name, {@code [domain[:port]/]path-component[/path-component]*},
     * optionally pinned by a digest of a registered algorithm. The name's limit of 255 characters
     * is a rule of its own.
     */
    public static final String IMAGE_PATTERN =
            "^(([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?([.][a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[a-fA-F0-9:]+\\])(:[0-9]+)?/)?"
                    + "[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*"
                    + "(@(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}))?$";

    /** The name (255), '@' and the longest digest ("sha512:" and 128 hex digits). */
    public static final int IMAGE_MAX = 255 + 1 + 7 + 128;

    public static final String TAG_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

    private static final String KEY_RULE =
            "self.all(k, k.matches('" + QUALIFIED_NAME + "') && (!k.contains('/') || k.matches('^[^/]{1,253}/')))";
    private static final String KEY_MESSAGE =
            "keys must be qualified names: an optional DNS subdomain prefix of at most 253 characters and '/', then up"
                    + " to 63 of A-Z, a-z, 0-9, '-', '_', '.', starting and ending with a letter or digit";

    @JsonPropertyDescription("Number of pods running the function.")
    @Default("1")
    @Min(0)
    @Max(MAX_REPLICAS)
    private Integer replicas = 1;

    @JsonPropertyDescription("OCI image holding the WebAssembly component, without tag (e.g. ghcr.io/acme/hello);"
            + " may be pinned by digest (ghcr.io/acme/hello@sha256:...).")
    @Required
    @Size(max = IMAGE_MAX)
    @Pattern(IMAGE_PATTERN)
    @ValidationRule(
            value = "self.matches('^[^@]{1,255}(@.*)?$')",
            message = "spec.ociImage: the repository name (before any @digest) must be at most 255 characters")
    private String ociImage;

    @JsonPropertyDescription("Tag of ociImage; required unless ociImage is pinned by digest.")
    @Size(max = 128)
    @Pattern(TAG_PATTERN)
    private String ociImageTag;

    @JsonPropertyDescription(
            "Allows the function outbound HTTP; passed to the shim as pod annotation wasmorch.dev/outbound-http.")
    @Default("false")
    private Boolean outboundHttp = false;

    @JsonPropertyDescription("Name of a docker-registry Secret used to pull ociImage.")
    @Size(max = DNS_1123_SUBDOMAIN_MAX)
    @Pattern("^$|" + DNS_1123_SUBDOMAIN)
    private String imagePullSecret;

    @JsonPropertyDescription(
            "RuntimeClass that runs the WebAssembly pods; it must exist and have a WebAssembly handler.")
    @Default("spin")
    @Size(max = DNS_1123_SUBDOMAIN_MAX)
    @Pattern(DNS_1123_SUBDOMAIN)
    private String runtimeClass = "spin";

    @JsonPropertyDescription("Creates an Ingress for the function.")
    @Default("false")
    private Boolean ingressEnabled = false;

    @JsonPropertyDescription("IngressClass of the Ingress; the cluster default when empty.")
    @Size(max = DNS_1123_SUBDOMAIN_MAX)
    @Pattern("^$|" + DNS_1123_SUBDOMAIN)
    private String ingressClass;

    @JsonPropertyDescription("Host name the Ingress routes to the function (a DNS name; *.example.org for a wildcard);"
            + " required when ingressEnabled.")
    @Size(max = DNS_1123_SUBDOMAIN_MAX)
    @Pattern(INGRESS_HOST)
    @ValidationRule(
            value = "!self.matches('^[0-9]+([.][0-9]+){3}$')",
            message = "spec.ingressHost: must be a DNS name, not an IP address")
    private String ingressHost;

    @JsonPropertyDescription("Terminates TLS at the Ingress with the Secret <name>-tls.")
    @Default("false")
    private Boolean ingressTlsEnabled = false;

    @JsonPropertyDescription("pod (default): ordinary pod networking, the app listening on port at the pod IP behind"
            + " a plain Service; host: the study's host networking with shim-chosen ports published through Redis.")
    @Default("pod")
    private NetworkMode networkMode = NetworkMode.POD;

    @JsonPropertyDescription("Service port; in pod mode also the container port, on which the app listens.")
    @Default("80")
    @Min(1)
    @Max(65535)
    private Integer port = 80;

    @JsonPropertyDescription("Compute resources of the function's container.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Environment variables of the function's container.")
    private List<EnvVar> env = new ArrayList<>();

    @JsonPropertyDescription("Node labels the pods must match.")
    @Size(max = MAX_MAP_ENTRIES)
    @ValidationRule(value = KEY_RULE, message = "spec.nodeSelector: " + KEY_MESSAGE)
    @ValidationRule(
            value = "self.all(k, self[k].matches('" + LABEL_VALUE + "'))",
            message = "spec.nodeSelector: values must be label values: empty, or up to 63 of A-Z, a-z, 0-9, '-', '_',"
                    + " '.', starting and ending with a letter or digit")
    private Map<String, @Size(max = LABEL_VALUE_MAX) String> nodeSelector = new LinkedHashMap<>();

    @JsonPropertyDescription("Tolerations of the pods.")
    private List<Toleration> tolerations = new ArrayList<>();

    @JsonPropertyDescription("Extra annotations on the pods (wasmorch.dev/* annotations are reserved).")
    @Size(max = MAX_MAP_ENTRIES)
    @ValidationRule(value = KEY_RULE, message = "spec.annotations: " + KEY_MESSAGE)
    @ValidationRule(
            value = "self.all(k, !k.startsWith('" + RESERVED_PREFIX + "'))",
            message = "spec.annotations: keys under " + RESERVED_PREFIX + " are reserved for the operator")
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
