package dev.lifeboat.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Workers that start together, for races: each on a thread of its own, released by one barrier. */
public final class Workers {
    private Workers() {}

    /**
     * Makes {@code count} tasks (worker {@code i}'s with {@code task.apply(i)}, on the test's thread),
     * then runs them all at once and returns their results in worker order; a task's failure is thrown.
     */
    public static <T> List<T> atOnce(int count, IntFunction<Callable<T>> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(count);
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<T>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<T> work = task.apply(i);
                results.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> r : results) {
                out.add(r.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
