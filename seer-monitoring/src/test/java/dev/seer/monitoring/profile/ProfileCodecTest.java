package dev.seer.monitoring.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ProfileCodecTest {
    private static final Profile PROFILE = ProfileTest.profile(ProfileTest.rows(11, 20_000));

    @Test
    void roundTripKeepsEveryFigureAndSketch() {
        byte[] bytes = PROFILE.toBytes();
        Profile read = Profile.fromBytes(bytes);

        assertThat(read.schema()).isEqualTo(PROFILE.schema());
        assertThat(read.settings()).isEqualTo(PROFILE.settings());
        for (String name : List.of("age", "spend")) {
            NumericColumn before = PROFILE.numeric(name);
            NumericColumn after = read.numeric(name);
            assertThat(after.count()).isEqualTo(before.count());
            assertThat(after.missing()).isEqualTo(before.missing());
            assertThat(after.min()).isEqualTo(before.min());
            assertThat(after.max()).isEqualTo(before.max());
            assertThat(after.mean()).isEqualTo(before.mean());
            assertThat(after.variance()).isEqualTo(before.variance());
            for (double rank = 0; rank <= 1; rank += 0.05) {
                assertThat(after.quantile(rank)).isEqualTo(before.quantile(rank));
            }
        }
        CategoricalColumn city = read.categorical("city");
        assertThat(city.top(10)).isEqualTo(PROFILE.categorical("city").top(10));
        assertThat(city.distinct()).isEqualTo(PROFILE.categorical("city").distinct());
        assertThat(city.missing()).isEqualTo(PROFILE.categorical("city").missing());
        // not byte-equal: a quantile query sorts KLL's level 0 and flags it, which changes its bytes
        assertThat(Profile.fromBytes(read.toBytes()).numeric("spend").quantile(0.9)).isEqualTo(PROFILE.numeric("spend").quantile(0.9));
    }

    @Test
    void aReadProfileKeepsUpdatingAndMerging() {
        Profile empty = Profile.fromBytes(Profile.create(ProfileTest.SCHEMA).toBytes());
        empty.update(new Object[] {5.0, 6.0, "paris"});

        assertThat(empty.numeric("age").min()).isEqualTo(5.0);
        assertThat(empty.numeric("age").max()).isEqualTo(5.0);
        Profile merged = Profile.fromBytes(PROFILE.toBytes()).merge(empty);
        assertThat(merged.categorical("city").rows()).isEqualTo(20_001);
    }

    @Test
    void everyTruncationIsCorruptStateSayingSo() {
        byte[] bytes = PROFILE.toBytes();
        for (int length = 0; length < bytes.length; length += length < 64 ? 1 : 97) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> Profile.fromBytes(cut)).as("length %s", length)
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.CORRUPT_STATE))
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void everyChangedByteIsCorruptState() {
        byte[] bytes = PROFILE.toBytes();
        for (int position = 0; position < bytes.length; position += position < 64 ? 1 : 31) {
            byte[] changed = bytes.clone();
            changed[position] ^= 0x10;
            assertThatThrownBy(() -> Profile.fromBytes(changed)).as("byte %s", position)
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.CORRUPT_STATE));
        }
        byte[] body = bytes.clone();
        body[200] ^= 1;
        assertThatThrownBy(() -> Profile.fromBytes(body)).hasMessageContaining("Profile bytes were changed: CRC-32");
    }

    @Test
    void magicVersionAndPaddingAreNamed() {
        byte[] bytes = PROFILE.toBytes();
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> Profile.fromBytes(magic)).hasMessageStartingWith("Not a profile: magic");
        byte[] version = bytes.clone();
        version[5] = 2;
        assertThatThrownBy(() -> Profile.fromBytes(version))
                .hasMessage("Profile version [2] is not supported; this reader reads version [1]");
        assertThatThrownBy(() -> Profile.fromBytes(Arrays.copyOf(bytes, bytes.length + 3)))
                .hasMessageContaining("truncated or padded");
        assertThatThrownBy(() -> Profile.fromBytes(null)).isInstanceOf(SeerException.class);
    }

    /** A writer's mistake with a valid checksum: the column's count disagrees with its sketch. */
    @Test
    void inconsistentFieldsUnderAValidChecksumNameTheColumn() {
        Profile one = Profile.create(List.of(Profile.Column.numeric("age")));
        one.update(new Object[] {1.0});
        byte[] bytes = one.toBytes();
        int countAt = 10 + 16 + 2 + 3 + 1; // header, settings and column count, name, type
        ByteBuffer.wrap(bytes).putLong(countAt, 2);
        resealChecksum(bytes);

        assertThatThrownBy(() -> Profile.fromBytes(bytes))
                .isInstanceOfSatisfying(SeerException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.CORRUPT_STATE);
                    assertThat(e.details()).containsEntry("column", "age");
                })
                .hasMessage("Profile column [age] is corrupt: its KLL sketch holds [1] values, its count says [2]");
    }

    @Test
    void aSketchThatDoesNotReadBackNamesTheColumn() {
        Profile one = Profile.create(List.of(Profile.Column.categorical("city")));
        one.update(new Object[] {"paris"});
        byte[] bytes = one.toBytes();
        int sketchAt = 10 + 16 + 2 + 4 + 1 + 16 + 4; // header, settings, name, type, counts, length
        bytes[sketchAt + 1] = 99; // the frequent-items sketch's serial version
        resealChecksum(bytes);

        assertThatThrownBy(() -> Profile.fromBytes(bytes))
                .hasMessageStartingWith("Profile column [city] is corrupt: its frequent-items sketch does not read back");
    }

    private static void resealChecksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 10, bytes.length - 14);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    }
}
