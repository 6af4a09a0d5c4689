package taskvec.store.repo;

import java.time.OffsetDateTime;

/** A row of {@code runs}; JSON columns as JSON text. */
public record Run(long id, String name, String studyJson, String codeVersion, String modelsJson,
                  String engineVersionsJson, String device, String dtype, Status status,
                  OffsetDateTime startedAt, OffsetDateTime finishedAt, String error) {}
