package taskvec.store.repo;

import java.time.OffsetDateTime;
import taskvec.store.key.ContentKey;

/** A row of {@code stages}. {@code reusedFrom} is the stage (of this or another run) whose outputs were reused. */
public record Stage(long id, long runId, String name, ContentKey key, Status status, int attempts,
                   OffsetDateTime startedAt, OffsetDateTime finishedAt, String error, Long reusedFrom) {}
