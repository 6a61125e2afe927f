import type { Voice } from "./personas.js";

/** What a simulated user says, per situation and voice. `{goal}` is the goal as a sentence. */

export const OPENINGS: Record<Voice, string[]> = {
  terse: ["{goal}", "Hi. {goal}", "{goal} Thanks."],
  friendly: ["Hi there! {goal} Could you help me out?", "Hello! Hope you're having a good day. {goal}", "Hey! {goal} Thanks so much in advance."],
  formal: ["Good day. {goal} I would appreciate your assistance.", "Hello. {goal} Thank you in advance for your help.", "Good afternoon. {goal}"],
  anxious: ["Hi, sorry to bother you. {goal} I'm a bit worried about it.", "Hello, I hope this is the right place to ask. {goal}", "Hi. {goal} I really hope this can be sorted out quickly."],
  casual: ["Hey, quick one: {goalLower}", "Hi! {goal}", "Hi, {goalLower} Can you help?"],
};

export const FACT_LEADS: Record<Voice, string[]> = {
  terse: ["", "", "Sure. "],
  friendly: ["Sure thing! ", "Of course! ", "Happy to! "],
  formal: ["Certainly. ", "Of course. ", ""],
  anxious: ["Yes, sorry — ", "Oh, right. ", "Sure, here you go. "],
  casual: ["Yep. ", "Sure, ", "Oh yeah. "],
};

export const SINGLE_ID_ANSWERS = ["It's {value}.", "{label} is {value}.", "That would be {value}."];

export const CONFIRMATIONS: Record<Voice, string[]> = {
  terse: ["Yes, go ahead.", "Yes.", "Confirmed, do it."],
  friendly: ["Yes please, go ahead!", "That's right — please do!", "Yes, that sounds great. Go ahead!"],
  formal: ["Yes, please proceed.", "I confirm. Please go ahead.", "That is correct; please proceed."],
  anxious: ["Yes, please — that's what I need.", "Yes, please do that. Thank you.", "Yes, go ahead, please."],
  casual: ["Yep, go for it.", "Sure, do it.", "Yeah, sounds good — go ahead."],
};

export const UNKNOWN_ANSWERS: Record<Voice, string[]> = {
  terse: ["I don't know {thing}.", "Don't have {thing}, sorry."],
  friendly: ["Hmm, I'm afraid I don't know {thing}. Is there another way?", "Sorry, I don't have {thing} handy!"],
  formal: ["I am afraid I do not have {thing} at hand.", "Unfortunately I do not know {thing}."],
  anxious: ["Oh no, I'm sorry — I don't know {thing}. Is that a problem?", "I'm so sorry, I don't have {thing} with me."],
  casual: ["No idea about {thing}, sorry.", "Hmm, I don't have {thing} on me."],
};

export const THANKS: Record<Voice, string[]> = {
  terse: ["Thanks.", "Great, thanks.", "Good. Thanks."],
  friendly: ["Perfect, thank you so much! Have a great day!", "That's wonderful, thanks a lot!", "Brilliant — thanks for your help!"],
  formal: ["Thank you, that is all I needed.", "Excellent. Thank you for your assistance.", "Thank you very much. Goodbye."],
  anxious: ["Oh, that's a relief — thank you so much!", "Thank you, I feel much better now.", "Great, thanks for sorting that out."],
  casual: ["Awesome, thanks!", "Cool, thanks a bunch.", "Nice, that's all. Thanks!"],
};

export const GIVE_UPS: Record<Voice, string[]> = {
  terse: ["OK. I'll try later.", "Fine, never mind."],
  friendly: ["Oh well, thanks for trying anyway!", "No worries, I'll look into it and come back. Thanks!"],
  formal: ["Understood. I will follow up another time. Thank you.", "I see. Thank you for checking."],
  anxious: ["Oh no... okay, I'll try to find out more and come back. Thank you.", "Okay, thank you anyway. I'll check my papers."],
  casual: ["Ah, bummer. I'll check back later.", "Okay, no worries, I'll sort it out later."],
};

export const OUT_OF_TIME: Record<Voice, string[]> = {
  terse: ["I have to go. Bye.", "No more time, sorry."],
  friendly: ["I'm sorry, I have to run now — thanks for your help so far!", "I need to go now, but thanks!"],
  formal: ["I am afraid I must end the conversation now. Thank you.", "I have to leave now. Thank you for your time."],
  anxious: ["Sorry, I have to go now... I'll try again later.", "I need to go, sorry! Thank you."],
  casual: ["Gotta go, thanks anyway!", "Have to run, catch you later."],
};

export const NUDGES: Record<Voice, string[]> = {
  terse: ["Any update?", "Still there?"],
  friendly: ["Just checking in — any news?", "Hi again! Any luck?"],
  formal: ["May I ask whether there is any progress?", "Could you tell me where things stand?"],
  anxious: ["Sorry, is everything okay with my request?", "Hello? Is it going through?"],
  casual: ["Any luck?", "So, how's it looking?"],
};

export const IMPATIENT_TAILS = [" Please be quick, I'm in a hurry.", " Can we speed this up a bit?", ""];

/** Bringing up the next request once the last one is done; `{request}` is "i'd like to …". */
export const NEXT_REQUESTS: Record<Voice, string[]> = {
  terse: ["Also, {request}", "Next: {request}", "One more: {request}"],
  friendly: ["Thanks so much! One more thing — {request}", "Great, thank you! While I have you, {request}", "Lovely. Oh, and {request}"],
  formal: ["Thank you. In addition, {request}", "Very well. One further request: {request}", "Thank you. Furthermore, {request}"],
  anxious: ["Thank you so much. Sorry, one more thing — {request}", "Okay, thank you. Could I also ask: {request}", "Sorry to keep bothering you, but {request}"],
  casual: ["Cool. Also, {request}", "Nice. Next thing: {request}", "Sweet. Oh and {request}"],
};

/** Changing one's mind; `{request}` is what the user wants instead ("reschedule it to another date"). */
export const CHANGES_OF_MIND: Record<Voice, string[]> = {
  terse: ["Actually, no. Change of plan: I want to {request} instead.", "Wait — I've changed my mind. I want to {request} instead."],
  friendly: ["Oh, actually, wait — I've changed my mind! I'd rather {request} instead.", "Hmm, on second thought, I'd like to {request} instead, if that's okay!"],
  formal: ["On reflection, I have changed my mind: I would like to {request} instead.", "Actually, please disregard that. I would rather {request} instead."],
  anxious: ["Oh, sorry — wait, I've changed my mind. Could I {request} instead?", "Sorry, actually... I think I'd rather {request} instead."],
  casual: ["Actually, scratch that — I'd rather {request} instead.", "Hmm, changed my mind. Let's {request} instead."],
};

/** Asking once whether there is a way around a refusal. */
export const PUSH_BACKS: Record<Voice, string[]> = {
  terse: ["Is there really no way around it?", "Can't you make an exception?"],
  friendly: ["Oh no! Is there really no way around it? It would mean a lot to me.", "Hmm, is there anything you can do? Any way around it at all?"],
  formal: ["I see. Is there truly no way around this policy?", "Could an exception be made? Is there any way around it?"],
  anxious: ["Oh no... is there really no way around it? I was counting on this.", "Please, is there anything you can do? Any way around it?"],
  casual: ["Ugh, really no way around it?", "Come on, any way around it?"],
};

/** Accepting a refusal and leaving. */
export const ACCEPTANCES: Record<Voice, string[]> = {
  terse: ["Understood. Bye.", "Fine. Thanks."],
  friendly: ["Okay, I understand — thanks for explaining!", "Fair enough, thanks for being clear with me!"],
  formal: ["Understood. Thank you for explaining the policy.", "Very well, I accept that. Thank you."],
  anxious: ["Okay... I understand. Thank you for explaining.", "Alright, thank you anyway. I'll manage."],
  casual: ["Alright, fair enough. Thanks.", "Okay, got it. Cheers."],
};

/** Added to an answer when the question also asked for a number the user does not have. */
export const MISSING_NUMBERS = ["I don't have the number, though.", "I don't know the number, unfortunately.", "I never wrote down the number, sorry."];
