package io.wenzhen.quality.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wenzhen.quality.events.Figures;
import io.wenzhen.quality.events.WindowSummary;

class ParticipantAccumulatorSerdeTest {

    @Test
    void aParticipantsFiguresSurviveTheChangelog() {
        ParticipantAccumulator a = accumulator();
        byte[] bytes = ParticipantAccumulatorSerde.write(a);
        assertEquals(ParticipantAccumulatorSerde.VERSION, bytes[0]);
        assertTrue(bytes.length < JsonSerde.MAPPER.valueToTree(a).toString().length(), "smaller than JSON: " + bytes.length + " bytes");
        ParticipantAccumulator read = ParticipantAccumulatorSerde.read(bytes);
        assertEquals(JsonSerde.MAPPER.valueToTree(a), JsonSerde.MAPPER.valueToTree(read), "every field, as JSON shows them");
        assertEquals(a.report().toString().replaceAll("\\[J@[0-9a-f]+", ""), read.report().toString().replaceAll("\\[J@[0-9a-f]+", ""));
        assertArrayEquals(a.report().grades(), read.report().grades());
        assertNull(read.worst.get(1).figures().width(), "an unknown size stays unknown (the second worst window)");
        assertNull(new ParticipantAccumulatorSerde().deserializer().deserialize("t", null));
    }

    @Test
    void theJsonOfEarlierReleasesStillRestores() throws Exception {
        ParticipantAccumulator a = accumulator();
        // the fields as earlier releases kept them, the worst windows whole
        Map<String, Object> earlier = new LinkedHashMap<>();
        earlier.put("userId", a.userId);
        earlier.put("side", a.side);
        earlier.put("samples", a.samples);
        earlier.put("windows", a.windows);
        earlier.put("sums", a.sums);
        earlier.put("width", a.width);
        earlier.put("height", a.height);
        earlier.put("freezes", a.freezes);
        earlier.put("freezeMs", a.freezeMs);
        earlier.put("grades", a.grades);
        earlier.put("audioBands", a.audioBands);
        earlier.put("videoBands", a.videoBands);
        earlier.put("worst", a.worst.stream().map(w -> new WindowSummary(7, "r", "cam", "patient_1", "doctor_7", "play", w.start(), w.end(),
                3, false, w.figures())).toList());
        earlier.put("ended", a.ended);
        ParticipantAccumulator read = ParticipantAccumulatorSerde.read(JsonSerde.MAPPER.writeValueAsBytes(earlier));
        assertEquals(JsonSerde.MAPPER.valueToTree(a), JsonSerde.MAPPER.valueToTree(read));
    }

    @Test
    void anAccumulatorCutShortOrOfAnUnknownVersionIsRefused() {
        byte[] bytes = ParticipantAccumulatorSerde.write(accumulator());
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThrows(IllegalStateException.class, () -> ParticipantAccumulatorSerde.read(future));
        assertThrows(IllegalStateException.class, () -> ParticipantAccumulatorSerde.read(new byte[0]));
        for (int length = 1; length < bytes.length; length += 5) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(IllegalStateException.class, () -> ParticipantAccumulatorSerde.read(cut), "cut at " + cut.length);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalStateException.class, () -> ParticipantAccumulatorSerde.read(longer));
    }

    /** A player over four windows, one with no size and no video, the last its end. */
    private static ParticipantAccumulator accumulator() {
        ParticipantAccumulator a = new ParticipantAccumulator("患者_1", "play");
        Instant start = Instant.parse("2026-12-06T03:00:00Z");
        double[] mos = {4.1, 2.2, 3.3, 1.9};
        for (int i = 0; i < mos.length; i++) {
            Figures figures = new Figures(6, i == 1 ? null : 800.0, 32.0, i == 1 ? null : 24.5, i == 1 ? null : 640, i == 1 ? null : 480,
                    0.01 * i, 0.0, 12.5, 80.0, (double) i, 150.0 * i, 4.0 - i * 0.5, i == 1 ? null : 3.5, mos[i], i);
            a.add(new WindowSummary(7, "r", "cam", "患者_1", "doctor_7", "play", start.plusSeconds(10L * i), start.plusSeconds(10L * i + 10), 6,
                    i == mos.length - 1, figures));
        }
        return a;
    }
}
