package dev.seer.cli;

import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import java.nio.file.Path;
import java.time.Clock;

/** A separate process that owns a home until killed, for the cross-process lock test. */
public final class HoldHome {
    private HoldHome() {}

    public static void main(String[] args) throws InterruptedException {
        HomeLock lock = SeerHome.open(Path.of(args[0])).lock("server", Clock.systemUTC());
        System.out.println("locked " + lock.owner().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
