// The name and partition count of a topic to create, as the KafkaSource editor ("Add topic") and the topic panel
// ("Create topic") both ask for them: the state as one hook, the two fields as one component.
import { useState } from 'react';
import { TextField } from '../forms/fields';

export interface NewTopic {
  name: string;
  setName: (name: string) => void;
  partitions: string;
  setPartitions: (partitions: string) => void;
}

/** A new topic's fields, empty name and 3 partitions to start. */
export function useNewTopic(): NewTopic {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('3');
  return { name, setName, partitions, setPartitions };
}

/** `nameInput` is the name field's form name (kept per place: tests and autofill know them). */
export function NewTopicFields({ topic, nameInput }: { topic: NewTopic; nameInput: string }) {
  return (
    <>
      <TextField label="New topic" name={nameInput} value={topic.name} onChange={topic.setName} />
      <TextField
        label="Partitions"
        name="new-topic-partitions"
        type="number"
        value={topic.partitions}
        onChange={topic.setPartitions}
      />
    </>
  );
}
