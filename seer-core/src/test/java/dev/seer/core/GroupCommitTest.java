package dev.seer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private static SeerException closed() {
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT, "closed", Map.of());
    }

    @Test
    void concurrentItemsAreBatchedWithinTheWeightAndEachGetsItsOwnResult() throws Exception {
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        int threads = 8;
        int perThread = 500;
        try (GroupCommit<Integer, String> commit = new GroupCommit<>("test-commit", 64, 10, i -> 1, batch -> {
            batches.add(batch);
            Thread.sleep(1); // a commit's cost, while the next batch gathers
            return batch.stream().map(i -> "done-" + i).toList();
        }, GroupCommitTest::closed)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<List<String>>> answers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                answers.add(pool.submit(() -> {
                    List<CompletableFuture<String>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(commit.submit(base + i));
                    }
                    return mine.stream().map(CompletableFuture::join).toList();
                }));
            }
            for (int t = 0; t < threads; t++) {
                List<String> got = answers.get(t).get(30, TimeUnit.SECONDS);
                for (int i = 0; i < perThread; i++) {
                    assertThat(got.get(i)).isEqualTo("done-" + (t * perThread + i));
                }
            }
            pool.shutdown();
        }
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(threads * perThread);
        assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 10));
        assertThat(batches.size()).as("items were grouped").isLessThan(threads * perThread);
    }

    @Test
    void aHeavyItemIsABatchOfItsOwnAndWeightsBoundTheRest() {
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-commit", 16, 10, i -> i, batch -> {
            release.await();
            batches.add(batch);
            return batch;
        }, GroupCommitTest::closed);
        List<CompletableFuture<Integer>> done = new ArrayList<>();
        for (int w : new int[] {1, 25, 4, 4, 4}) {
            done.add(commit.submit(w));
        }
        release.countDown();
        done.forEach(CompletableFuture::join);
        commit.close();
        List<Integer> flat = batches.stream().flatMap(List::stream).toList();
        assertThat(flat).containsExactly(1, 25, 4, 4, 4);
        assertThat(batches).contains(List.of(25));
        assertThat(batches).allSatisfy(b -> assertThat(b.size() == 1 || b.stream().mapToInt(i -> i).sum() <= 10).isTrue());
    }

    @Test
    void aFailingBatchFailsExactlyItsItems() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-commit", 16, 3, i -> 1, batch -> {
            entered.countDown();
            release.await();
            if (batch.contains(13)) {
                throw new IllegalStateException("unlucky batch " + batch);
            }
            return batch;
        }, GroupCommitTest::closed)) {
            CompletableFuture<Integer> first = commit.submit(1);
            entered.await(); // 1 is taken alone; the handler waits while the next items queue
            List<CompletableFuture<Integer>> next = List.of(commit.submit(12), commit.submit(13), commit.submit(14));
            CompletableFuture<Integer> after = commit.submit(15);
            release.countDown();
            assertThat(first.join()).isEqualTo(1);
            for (CompletableFuture<Integer> f : next) {
                assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("unlucky batch [12, 13, 14]");
            }
            assertThat(after.join()).as("the thread goes on after a failed batch").isEqualTo(15);
        }
    }

    @Test
    void closeCommitsWhatIsQueuedAndRefusesWhatComesLater() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-commit", 4, 100, i -> 1, batch -> {
            entered.countDown();
            release.await();
            committed.addAll(batch);
            return batch;
        }, GroupCommitTest::closed);
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        queued.add(commit.submit(0));
        entered.await();
        for (int i = 1; i < 5; i++) {
            queued.add(commit.submit(i)); // one being committed, four queued: the queue is full
        }
        assertThat(commit.offer(99)).isEmpty();
        assertThat(commit.rejected()).isEqualTo(1);
        Thread closer = new Thread(commit::close);
        closer.start();
        release.countDown();
        queued.forEach(CompletableFuture::join);
        assertThat(committed).containsExactly(0, 1, 2, 3, 4);
        closer.join(10_000);
        assertThatThrownBy(() -> commit.submit(7).join()).hasCauseInstanceOf(SeerException.class).hasMessageContaining("closed");
        assertThat(commit.offer(8)).isEmpty();
        assertThat(commit.rejected()).isEqualTo(3);
    }
}
