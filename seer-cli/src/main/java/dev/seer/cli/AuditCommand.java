package dev.seer.cli;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.InclusionProof;
import dev.seer.metadata.MetadataErrorCode;
import dev.seer.metadata.TreeHead;
import dev.seer.server.AuditOperations;
import dev.seer.server.Codec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Read and check the tamper-evident audit log.",
        subcommands = {AuditCommand.ListEntries.class, AuditCommand.Verify.class, AuditCommand.Checkpoint.class,
                AuditCommand.Prove.class})
final class AuditCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List audit entries, oldest first.")
    static final class ListEntries extends CliCommand {
        @Option(names = "--actor", description = "Only entries by this actor, e.g. token:admin.")
        String actor;

        @Option(names = "--action", description = "Only entries of this action, e.g. token.created.")
        String action;

        @Option(names = "--subject-type", description = "Only entries about this kind of subject.")
        String subjectType;

        @Option(names = "--subject-id", description = "Only entries about this subject (needs --subject-type).")
        String subjectId;

        @Option(names = "--from", description = "Only entries at or after this instant (ISO-8601).")
        Instant from;

        @Option(names = "--to", description = "Only entries before this instant (ISO-8601).")
        Instant to;

        @Option(names = "--after", defaultValue = "0", description = "Start after this sequence number (paging cursor).")
        long after;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many entries (1 to 1000).")
        int limit;

        @Override
        public Integer call() {
            if (subjectId != null && subjectType == null) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "--subject-id needs --subject-type", Map.of());
            }
            AuditQuery query = AuditQuery.all().page(after, limit).withTimeRange(Optional.ofNullable(from),
                    Optional.ofNullable(to));
            query = actor == null ? query : query.withActor(actor);
            query = action == null ? query : query.withAction(action);
            query = subjectType == null ? query : query.withSubject(subjectType, Optional.ofNullable(subjectId));
            try (Backend backend = cli().backend("audit list")) {
                AuditPage page = backend.call(AuditOperations.LIST, query);
                if (cli().json()) {
                    printJson(AuditOperations.LIST.encodeResponse(page));
                    return 0;
                }
                for (AuditEntry e : page.entries()) {
                    out().printf("%8d  %s  %-24s %-20s %s:%s  %s%n", e.seq(), e.time(), e.actor(), e.action(),
                            e.subjectType(), e.subjectId(), e.payload());
                }
                page.nextAfter().ifPresent(next -> out().println("(more: --after " + next + ")"));
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check every entry's hash and link, the recorded head and the latest checkpoint.",
                    "Exits 4 naming the first entry that was changed, removed, inserted or reordered."})
    static final class Verify extends CliCommand {
        @Option(names = "--against", paramLabel = "HEAD_FILE",
                description = "Also prove the log extends this tree head (from `seer audit checkpoint --out`).")
        Path against;

        @Override
        public Integer call() {
            Optional<TreeHead> head = Optional.ofNullable(against).map(Verify::readHead);
            try (Backend backend = cli().backend("audit verify")) {
                AuditOperations.Verified verified = backend.call(AuditOperations.VERIFY, head);
                AuditVerification result = verified.audit();
                var predictions = verified.predictions();
                if (cli().json()) {
                    printJson(AuditOperations.VERIFY.encodeResponse(verified));
                } else {
                    if (result.ok()) {
                        out().println("Audit log OK: " + result.entriesChecked() + " entries, root "
                                + result.head().rootHash() + (head.isPresent() ? ", extends the given head of "
                                + head.get().size() + " entries" : ""));
                    } else {
                        err().println("Audit log FAILED: " + result.problem().get().message());
                    }
                    if (predictions.ok()) {
                        out().println("Prediction log OK: " + predictions.batchesChecked() + " batches, "
                                + predictions.predictionsChecked() + " predictions, each as the audit log recorded it");
                    } else {
                        var p = predictions.problem().get();
                        err().println("Prediction log FAILED (" + p.kind() + ", batch " + p.batch()
                                + (p.segment().isEmpty() ? "" : ", " + p.segment() + " at offset " + p.offset()) + "): "
                                + p.message());
                    }
                }
                return verified.ok() ? 0 : MetadataErrorCode.AUDIT_LOG_TAMPERED.category().exitCode();
            }
        }

        private static TreeHead readHead(Path file) {
            try {
                return TreeHead.fromJson(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new SeerException(CoreErrorCode.NOT_FOUND, "Cannot read tree head file [" + file + "]: "
                        + e.getMessage(), Map.of("file", file.toString()), e);
            }
        }
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true,
            description = {"Verify the log, record a Merkle tree head (size, root hash, time) and print it.",
                    "Keep the printed head elsewhere; `audit verify --against` later proves the log only grew."})
    static final class Checkpoint extends CliCommand {
        @Option(names = "--out", paramLabel = "FILE", description = "Also write the tree head to this file.")
        Path outFile;

        @Override
        public Integer call() throws IOException {
            try (Backend backend = cli().backend("audit checkpoint")) {
                TreeHead head = backend.call(AuditOperations.CHECKPOINT, Codec.Empty.REQUEST);
                if (outFile != null) {
                    Files.writeString(outFile, head.toJson() + "\n", StandardCharsets.UTF_8);
                }
                out().println(head.toJson());
            }
            return 0;
        }
    }

    @Command(name = "prove", mixinStandardHelpOptions = true,
            description = {"Print an RFC 9162 inclusion proof of one entry and check it.",
                    "With --against, the proof is in the tree of that exported head and is checked against its root."})
    static final class Prove extends CliCommand {
        @Parameters(paramLabel = "SEQ", description = "The entry's sequence number.")
        long seq;

        @Option(names = "--against", paramLabel = "HEAD_FILE",
                description = "A tree head from `seer audit checkpoint --out`; prove the entry is in that tree.")
        Path against;

        @Override
        public Integer call() {
            Optional<TreeHead> head = Optional.ofNullable(against).map(Verify::readHead);
            try (Backend backend = cli().backend("audit prove")) {
                InclusionProof proof = backend.call(AuditOperations.PROVE, new AuditOperations.Prove(seq, head.map(TreeHead::size)));
                boolean anchored = head.map(h -> h.rootHash().equals(proof.rootHash())).orElse(true);
                boolean holds = proof.verify() && anchored;
                if (cli().json()) {
                    printJson(AuditOperations.PROVE.encodeResponse(proof));
                } else {
                    out().println("Entry " + proof.seq() + " of " + proof.treeSize() + ", root " + proof.rootHash());
                    out().println("leaf " + proof.leafHash());
                    proof.path().forEach(hash -> out().println("path " + hash));
                    out().println(holds ? "proof checks out" + (head.isPresent() ? " against the given head" : "")
                            : anchored ? "PROOF DOES NOT CHECK OUT" : "PROOF DOES NOT MATCH THE GIVEN HEAD'S ROOT");
                }
                return holds ? 0 : MetadataErrorCode.AUDIT_LOG_TAMPERED.category().exitCode();
            }
        }
    }
}
