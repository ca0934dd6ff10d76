package io.vigil.models.training;

import io.vigil.avro.ModelRelease;
import io.vigil.avro.TelemanomSettings;
import io.vigil.schemas.serde.AvroTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Trained models waiting for release: one Avro data file per channel, {@code <channel>.model.avro},
 * holding the {@code ModelRelease} to be (version 0 and no alias until released). The Avro container
 * carries its schema, so a candidate stays readable whatever the schema becomes; {@code models release}
 * reads a directory of them.
 */
public final class CandidateFiles {

    public static final String SUFFIX = ".model.avro";
    /** Name of the trainer in {@code trainingInfo}. */
    public static final String TRAINER = "vigil-models (deeplearning4j 1.0.0-M2.1)";

    private CandidateFiles() {}

    /**
     * The release record of a trained model, version 0 until released.
     *
     * @param dataSet what it was trained from, for {@code trainingInfo} (e.g. the data set path)
     */
    public static ModelRelease toCandidate(TrainedModel m, String dataSet, String layout) {
        TrainingConfig c = m.config();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("dataSet", dataSet);
        info.put("layout", layout);
        info.put("source", m.source());
        info.put("scheme", c.scheme().label());
        info.put("engine", c.engine().label());
        info.put("epochs", Integer.toString(m.epochs()));
        info.put("bestEpoch", Integer.toString(m.bestEpoch()));
        info.put("valLoss", fmt(m.valLoss()));
        info.put("valLossBeforeTraining", fmt(m.valHistory()[0]));
        info.put("trainPoints", Integer.toString(m.trainPoints()));
        info.put("fitPoints", Integer.toString(m.fitPoints()));
        info.put("validationPoints", Integer.toString(m.trainPoints() - m.fitPoints()));
        info.put("sequences", Integer.toString(m.chunks()));
        info.put("seconds", String.format(Locale.ROOT, "%.1f", m.seconds()));
        info.put("maxEpochs", Integer.toString(c.maxEpochs()));
        info.put("patience", Integer.toString(c.patience()));
        info.put("minDelta", fmt(c.minDelta()));
        info.put("learningRate", fmt(c.learningRate()));
        info.put("dropout", fmt(c.dropout()));
        info.put("settingsFrom", c.origin());
        info.put("seed", Long.toString(c.seed()));
        info.put("trainer", TRAINER);
        info.put("trainedAt", Instant.now().toString());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("val_mse", m.valLoss());
        return ModelRelease.newBuilder()
                .setChannelId(m.channelId())
                .setVersion(0)
                .setAlias(null)
                .setArchitecture(m.export().architecture())
                .setParameters(m.export().parameterBuffer())
                .setScaling(m.bounds())
                .setInputs(m.inputs())
                .setSettings(TelemanomSettings.newBuilder().setLS(c.sequenceLength()).build())
                .setTrainingInfo(new LinkedHashMap<>(info))
                .setMetrics(metrics)
                .setDataHash(m.dataHash())
                .setChecksum(m.export().checksum())
                .setValueQuantiles(m.drift().toRelease())
                .setReleasedAt(Instant.now())
                .build();
    }

    /** Writes {@code candidate} into {@code dir} (atomically: a reader never sees half a file). */
    public static Path write(Path dir, ModelRelease candidate) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(fileName(candidate.getChannelId()));
            Path temp = Files.createTempFile(dir, ".candidate", ".tmp");
            try (DataFileWriter<ModelRelease> w = new DataFileWriter<>(new SpecificDatumWriter<>(ModelRelease.class))) {
                w.create(ModelRelease.getClassSchema(), temp.toFile());
                w.append(candidate);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the candidate of " + candidate.getChannelId() + " to " + dir, e);
        }
    }

    public static ModelRelease read(Path file) {
        AvroTrust.trustPackagesOf(ModelRelease.class, ModelRelease.getClassSchema());
        try (DataFileReader<ModelRelease> r = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ModelRelease.class))) {
            if (!r.hasNext()) {
                throw new IllegalArgumentException(file + ": no model in the file");
            }
            return r.next();
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a candidate model file: " + e.getMessage(), e);
        }
    }

    /** Every candidate in {@code dir}, by channel id. */
    public static List<ModelRelease> readAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such directory of trained models");
        }
        List<ModelRelease> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                all.add(read(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        all.sort(java.util.Comparator.comparing(ModelRelease::getChannelId));
        return all;
    }

    static String fileName(String channelId) {
        return safeName(channelId) + SUFFIX;
    }

    /**
     * A file name for an id (a channel's, a subsystem's): the id itself where it is a safe name, else the
     * safe characters plus a hash of the id, so two ids never share a file.
     */
    public static String safeName(String id) {
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (!safe.equals(id) || safe.startsWith(".")) {
            byte[] digest;
            try {
                digest = java.security.MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            safe = safe.replaceFirst("^\\.", "_") + "-" + HexFormat.of().formatHex(digest, 0, 4);
        }
        return safe;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
