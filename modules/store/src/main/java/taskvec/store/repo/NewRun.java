package taskvec.store.repo;

/**
 * What a run is started with. JSON arguments are JSON text: the study file as parsed, the model
 * identities ({@code [{"name":..,"revision":..,"files":{"model.safetensors":"<sha256>"}}]}) and
 * the engine versions ({@code {"djl":"0.36.0","pytorch":"2.7.1"}}).
 */
public record NewRun(String name, String studyJson, String codeVersion, String modelsJson,
                     String engineVersionsJson, String device, String dtype) {}
