package taskvec.store.repo;

import java.time.OffsetDateTime;
import java.util.UUID;
import taskvec.store.key.ContentKey;

/**
 * A row of {@code work_items}. A claimed item carries the {@code claimToken} that completing or
 * failing it must present.
 */
public record WorkItem(long id, long runId, String stage, ContentKey key, Status status, int attempts,
                       int maxAttempts, OffsetDateTime leaseExpiresAt, UUID claimToken, String claimedBy,
                       String error, Long reusedFrom, OffsetDateTime startedAt, OffsetDateTime finishedAt) {}
