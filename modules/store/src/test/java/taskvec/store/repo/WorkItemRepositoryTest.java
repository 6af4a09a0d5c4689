package taskvec.store.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import taskvec.store.Store;
import taskvec.store.key.ContentKey;

class WorkItemRepositoryTest {

    static Store store;
    static WorkItemRepository items;

    @BeforeAll
    static void open() {
        store = TestRuns.openSharedStore();
        items = store.workItems();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static long runWithItems(String stage, int n, int maxAttempts) {
        long run = TestRuns.newRun(store, "claims " + stage);
        store.stages().begin(run, stage, TestRuns.key(stage, "stage"));
        List<ContentKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) keys.add(TestRuns.key(stage, i));
        assertEquals(n, items.addAll(run, stage, keys, maxAttempts));
        assertEquals(0, items.addAll(run, stage, keys, maxAttempts), "adding the same items again adds nothing");
        return run;
    }

    @Test
    void threeWorkersShareTwoHundredItemsAndDoEachExactlyOnce() throws Exception {
        long run = runWithItems("capture", 200, 3);
        Map<Long, Integer> doneBy = new ConcurrentHashMap<>();
        AtomicInteger completions = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            String name = "worker-" + w;
            workers.add(pool.submit(() -> {
                int mine = 0;
                Optional<WorkItem> item;
                while ((item = items.claim(run, "capture", name, Duration.ofMinutes(5))).isPresent()) {
                    doneBy.merge(item.get().id(), 1, Integer::sum);
                    if (items.complete(item.get().id(), item.get().claimToken())) completions.incrementAndGet();
                    mine++;
                }
                return mine;
            }));
        }
        int total = 0;
        for (Future<Integer> f : workers) total += f.get();
        pool.shutdown();
        assertEquals(200, total, "claims");
        assertEquals(200, completions.get(), "completions");
        assertEquals(200, doneBy.size());
        assertTrue(doneBy.values().stream().allMatch(n -> n == 1), "an item was claimed twice");
        Map<Status, Integer> counts = items.counts(run, "capture");
        assertEquals(200, counts.get(Status.DONE));
        assertTrue(items.list(run, "capture").stream().allMatch(i -> i.attempts() == 1));
    }

    @Test
    void anExpiredLeaseIsClaimedAgainAndTheOldTokenCannotCompleteIt() throws Exception {
        long run = runWithItems("evaluate", 1, 3);
        // a lease long enough that the second claim surely falls inside it on a loaded machine (50 ms did not)
        WorkItem first = items.claim(run, "evaluate", "slow", Duration.ofSeconds(2)).orElseThrow();
        assertTrue(items.claim(run, "evaluate", "other", Duration.ofMinutes(5)).isEmpty(), "leased item claimed again");
        Thread.sleep(2300);
        WorkItem second = items.claim(run, "evaluate", "fast", Duration.ofMinutes(5)).orElseThrow();
        assertEquals(first.id(), second.id());
        assertNotEquals(first.claimToken(), second.claimToken());
        assertEquals(2, second.attempts());
        assertEquals("fast", second.claimedBy());

        assertFalse(items.complete(first.id(), first.claimToken()), "a stale token completed the item");
        assertTrue(items.fail(first.id(), first.claimToken(), "late").isEmpty(), "a stale token failed the item");
        assertFalse(items.extendLease(first.id(), first.claimToken(), Duration.ofMinutes(1)));
        assertTrue(items.extendLease(second.id(), second.claimToken(), Duration.ofMinutes(1)));
        assertTrue(items.complete(second.id(), second.claimToken()));
        assertFalse(items.complete(second.id(), second.claimToken()), "completed twice");
        WorkItem done = items.find(first.id()).orElseThrow();
        assertEquals(Status.DONE, done.status());
        assertEquals(null, done.error());
    }

    @Test
    void anItemWhoseWorkerDiesOnEveryAttemptEndsFailed() throws Exception {
        long run = runWithItems("prepare", 1, 2);
        WorkItem a = items.claim(run, "prepare", "crashy-1", Duration.ofMillis(20)).orElseThrow();
        Thread.sleep(150);
        WorkItem b = items.claim(run, "prepare", "crashy-2", Duration.ofMillis(20)).orElseThrow();
        assertEquals(a.id(), b.id());
        assertEquals(2, b.attempts());
        Thread.sleep(150);
        assertTrue(items.claim(run, "prepare", "crashy-3", Duration.ofMillis(20)).isEmpty(), "claimed a third time");
        WorkItem failed = items.find(a.id()).orElseThrow();
        assertEquals(Status.FAILED, failed.status());
        assertEquals("lease expired on attempt 2 of 2 (claimed by crashy-2)", failed.error());
    }

    @Test
    void failuresRetryUntilMaxAttemptsThenStayFailedUntilRequeued() {
        long run = runWithItems("average", 1, 2);
        WorkItem a = items.claim(run, "average", "w", Duration.ofMinutes(1)).orElseThrow();
        assertEquals(Optional.of(Status.PENDING), items.fail(a.id(), a.claimToken(), "first try"));
        WorkItem b = items.claim(run, "average", "w", Duration.ofMinutes(1)).orElseThrow();
        assertEquals(Optional.of(Status.FAILED), items.fail(b.id(), b.claimToken(), "image missing: cat.png"));
        assertTrue(items.claim(run, "average", "w", Duration.ofMinutes(1)).isEmpty(), "a failed item was claimed");
        List<WorkItem> failed = items.failed(run);
        assertEquals(1, failed.size());
        assertEquals("image missing: cat.png", failed.get(0).error());
        assertEquals(TestRuns.key("average", 0), failed.get(0).key());

        assertEquals(1, items.requeue(run, "average", false));
        WorkItem c = items.claim(run, "average", "w", Duration.ofMinutes(1)).orElseThrow();
        assertEquals(1, c.attempts());
        assertTrue(items.complete(c.id(), c.claimToken()));
    }

    @Test
    void claimAnyTakesOnlyItemsOfRunningRunsAndReuseFindsFinishedItemsAcrossRuns() {
        long run = runWithItems("ensemble", 1, 1);
        store.runs().setStatus(run, Status.FAILED, "stopped");
        WorkItem pending = items.list(run, "ensemble").get(0);
        Optional<WorkItem> any;
        while ((any = items.claimAny("worker", Duration.ofMinutes(1))).isPresent()) {
            // items of other tests' running runs: give them back untouched
            assertNotEquals(pending.id(), any.get().id());
            items.fail(any.get().id(), any.get().claimToken(), "test: not mine");
        }
        store.runs().setStatus(run, Status.RUNNING, null);
        WorkItem claimed = items.claimAny("worker", Duration.ofMinutes(1)).orElseThrow();
        assertEquals(pending.id(), claimed.id());
        assertTrue(items.complete(claimed.id(), claimed.claimToken()));

        long later = runWithItems("ensemble", 1, 1);
        WorkItem again = items.list(later, "ensemble").get(0);
        WorkItem finished = items.findFinished("ensemble", again.key().hash()).orElseThrow();
        assertEquals(claimed.id(), finished.id());
        assertTrue(items.markReused(again.id(), finished.id()));
        WorkItem reused = items.find(again.id()).orElseThrow();
        assertEquals(Status.REUSED, reused.status());
        assertEquals(finished.id(), reused.reusedFrom());
    }
}
